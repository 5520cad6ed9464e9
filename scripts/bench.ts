// `npm run bench`: what each bundled action costs against a growing history. Every action's committed bundle runs
// on the emulator, as the runner runs it, in the state where it normally runs, on top of 0, 100, 1,000 and
// 10,000 earlier deployments in the step's environment (plus 1,000 version tags whenever the history is not
// empty). One table per action: requests by route, content-creating requests, median wall time, peak memory,
// bundle size. Then the reference: a plain Octokit script recording a success the usual way.
//
//   npx tsx scripts/bench.ts [--sizes 0,100,1000,10000] [--runs 5] [--tags 1000] [--only accept,status]
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { readDeliveryMetrics } from '../packages/core/src/use-cases/delivery-metrics.js';
import { readActionMetadata, type ActionName } from '../test/harness/action-metadata.js';
import { describeTarget, requestTarget } from '../test/harness/request-targets.js';
import { startHealthServer } from '../test/harness/health-server.js';
import { nodeRuntime } from '../test/harness/node-runtime.js';
import { coreRun } from '../test/harness/promotion-state.js';
import { SCENARIO_ENVIRONMENTS } from '../test/harness/promotion-state.js';
import type { Scenario } from '../test/harness/reliability-scenarios.js';
import { runActionBundle } from '../test/harness/run-action.js';
import {
  arrangeOnHistory,
  historyPayload,
  historyScenarios,
  historyTarget,
  seedHistory,
} from './bench/history.js';
import { recordSuccessNaively } from './bench/naive-deactivation.js';
import { rolloutScenario } from './bench/rollout.js';

/** At or above this history size the naive script runs once (it makes one request per earlier deployment). */
const NAIVE_SINGLE_RUN_FROM = 10_000;

const { values: options } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,100,1000,10000' },
    runs: { type: 'string', default: '5' },
    tags: { type: 'string', default: '1000' },
    only: { type: 'string' },
  },
});
const sizes = options.sizes.split(',').map((size) => wholeNumber(size, '--sizes'));
const runs = Math.max(1, wholeNumber(options.runs, '--runs'));
const versionTags = wholeNumber(options.tags, '--tags');
const only = options.only?.split(',').map((name) => name.trim());

function wholeNumber(text: string, option: string): number {
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 0) throw new Error(`${option}: '${text}' is not a whole number`);
  return value;
}

/** One measured run of a step. */
interface Sample {
  counts: Record<string, number>;
  writes: number;
  wallMs: number;
  /** Of `wallMs`, how long the bench process (the emulator answering) was busy: event-loop active time. */
  emulatorMs: number;
  /** Peak resident set size of the bundle process, in KiB (`ru_maxrss`). */
  peakKiB: number;
  /** From the bundle process's start to its first HTTP request (Node start-up, loading the bundle, reading inputs). */
  startMs: number;
}

/** One row of a table: a history size and what the runs at that size measured. */
interface Row {
  size: number;
  runs: number;
  counts: Record<string, number>;
  writes: number;
  medianMs: number;
  medianEmulatorMs: number;
  peakKiB: number | undefined;
  medianStartMs: number | undefined;
  /** Whether the runs at this size disagreed on the requests made. */
  unstable: boolean;
}

// The bundle's peak memory: a preload (NODE_OPTIONS=--require) writes `process.resourceUsage().maxRSS` when the
// bundle process exits. That is the kernel's ru_maxrss of the bundle process itself, the number `/usr/bin/time -f
// %M` reports; the harness spawns the bundle itself, so it cannot be wrapped in `time`.
const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
// The same preload notes when the bundle sends its first HTTP request: Node's fetch (undici) announces each request
// on the `undici:request:create` diagnostics channel; `performance.now()` counts from the process's start.
const preload = join(scratch, 'bundle-probe.cjs');
writeFileSync(
  preload,
  `const { performance } = require('node:perf_hooks');\n` +
    `let firstRequestMs = null;\n` +
    `require('node:diagnostics_channel').subscribe('undici:request:create', () => {\n` +
    `  if (firstRequestMs === null) firstRequestMs = performance.now();\n` +
    `});\n` +
    `process.on('exit', () => {\n` +
    `  const probe = { maxRSS: process.resourceUsage().maxRSS, firstRequestMs, exitMs: performance.now() };\n` +
    `  require('node:fs').writeFileSync(process.env.BENCH_PROBE_FILE, JSON.stringify(probe));\n` +
    `});\n`,
);

const health = await startHealthServer();
const healthUrl = health.url;

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Requests per route, with GraphQL requests told apart by operation (`query`, `mutation MoveTag`). */
function countsByRoute(emulator: Emulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of emulator.requests) {
    const key =
      `${request.method} ${request.route}` +
      (request.graphqlOperation ? ` (${request.graphqlOperation})` : '');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const total = (counts: Record<string, number>) =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);
const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** `GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses` → `GET deployments/{id}/statuses`. */
function shortRoute(route: string): string {
  return route
    .replace(' /repos/{owner}/{repo}/', ' ')
    .replace(' /repos/{owner}/{repo}', ' repo')
    .replace(' /graphql', ' graphql')
    .replace(/\{deployment_id\}/g, '{id}');
}

function compactRoutes(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, count]) => `${shortRoute(route)} ×${count}`)
    .join(', ');
}

async function measureStep(
  scenario: Scenario,
  environments: string[],
  size: number,
  run: number,
): Promise<Sample> {
  const emulator = await startEmulator();
  try {
    const step = await arrangeOnHistory(emulator, scenario, {
      deployments: size,
      versionTags: size > 0 ? versionTags : 0,
      environments,
    });
    const probeFile = join(scratch, `probe-${step.action}-${size}-${run}`);
    const loop = performance.eventLoopUtilization();
    const started = performance.now();
    const result = await runActionBundle(step.action, {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha: step.sha,
      runId: step.runId,
      inputs: { environments: SCENARIO_ENVIRONMENTS, ...step.inputs },
      ...(step.workspace ? { workspace: step.workspace } : {}),
      env: { NODE_OPTIONS: `--require=${preload}`, BENCH_PROBE_FILE: probeFile },
      timeoutMs: 600_000,
    });
    const wallMs = performance.now() - started;
    const emulatorMs = performance.eventLoopUtilization(loop).active;
    if (result.exitCode !== 0) {
      throw new Error(`${scenario.name} failed at history ${size}:\n${result.stdout}\n${result.stderr}`);
    }
    if (emulator.problems.length > 0) {
      throw new Error(`${scenario.name}: OpenAPI mismatches: ${JSON.stringify(emulator.problems, null, 2)}`);
    }
    const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as {
      maxRSS: number;
      firstRequestMs: number | null;
    };
    if (probe.firstRequestMs === null) throw new Error(`${scenario.name}: the bundle sent no request`);
    return {
      counts: countsByRoute(emulator),
      writes: emulator.writeRequests().length,
      wallMs,
      emulatorMs,
      peakKiB: probe.maxRSS,
      startMs: probe.firstRequestMs,
    };
  } finally {
    await emulator.close();
  }
}

async function measureNaive(size: number): Promise<Sample> {
  const emulator = await startEmulator();
  try {
    const environment = 'integration';
    // Every earlier deployment still shown active: the history a naive loop over all of them would walk.
    const { sha } = seedHistory(emulator, {
      deployments: size,
      versionTags: size > 0 ? versionTags : 0,
      environments: [environment],
      state: 'success',
    });
    // The deployment whose success is recorded: newest of the environment, being deployed.
    const [deploymentId] = emulator.seed.deployments(environment, 1, {
      sha,
      state: 'in_progress',
      payload: historyPayload(emulator, environment, sha, 300),
    });
    emulator.resetLog();
    const loop = performance.eventLoopUtilization();
    const started = performance.now();
    const result = await recordSuccessNaively({
      baseUrl: emulator.url,
      token: 't',
      owner: emulator.owner,
      repo: emulator.repo,
      environment,
      deploymentId: deploymentId as number,
    });
    const wallMs = performance.now() - started;
    const emulatorMs = performance.eventLoopUtilization(loop).active;
    if (result.deactivated !== size)
      throw new Error(`naive: deactivated ${result.deactivated}, expected ${size}`);
    if (emulator.problems.length > 0) {
      throw new Error(`naive: OpenAPI mismatches: ${JSON.stringify(emulator.problems, null, 2)}`);
    }
    return {
      counts: countsByRoute(emulator),
      writes: emulator.writeRequests().length,
      wallMs,
      emulatorMs,
      peakKiB: 0,
      startMs: 0,
    };
  } finally {
    await emulator.close();
  }
}

function toRow(size: number, samples: Sample[], withPeak: boolean): Row {
  const [first] = samples as [Sample, ...Sample[]];
  return {
    size,
    runs: samples.length,
    counts: first.counts,
    writes: first.writes,
    medianMs: median(samples.map((sample) => sample.wallMs)),
    medianEmulatorMs: median(samples.map((sample) => sample.emulatorMs)),
    peakKiB: withPeak ? Math.max(...samples.map((sample) => sample.peakKiB)) : undefined,
    medianStartMs: withPeak ? median(samples.map((sample) => sample.startMs)) : undefined,
    unstable: samples.some(
      (sample) => !sameCounts(sample.counts, first.counts) || sample.writes !== first.writes,
    ),
  };
}

/** Prints rows under headers, each column padded to its widest cell; numbers right-aligned. */
function printTable(headers: string[], rows: string[][], rightAligned: boolean[]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return rightAligned[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

/** What the count of an action is made of, printed under its table. */
const TARGET_NOTES: Partial<Record<ActionName, string>> = {
  'prepare-release':
    'One GraphQL read (tags, commits, deployments with statuses; with the configuration when not checked ' +
    'out), one compare page of release notes when a release ran there before (not in this scenario), ' +
    'the version tag and Release each checked before being written (so a re-run writes nothing twice), then ' +
    'the writes: tag object, tag ref, Release, deployment, its first status.',
  'deploy-env':
    "One GraphQL read (the configuration when not checked out, the run's deployment, the environment tag's " +
    'deployment), then one status per change, and before the success the release it replaces marked inactive ' +
    "(GitHub's auto_inactive spares production; one active deployment per environment makes it one request).",
  verify:
    "One GraphQL read (the configuration when not checked out, the run's deployment), then the result status.",
  accept:
    'One GraphQL read (the configuration when not checked out, the newest deployments with their statuses, ' +
    "where the run's or the deployment-id's is, the environment tag, the repository id, the newest Releases), " +
    "the run's approvals, then tag swap, status, Release update.",
  rollback:
    'One GraphQL read (the configuration when not checked out, environment tag, its deployment, newest ' +
    'deployments), then rollback deployment, ' +
    "its statuses, the tag swap and the bad release's status.",
  status:
    'One GraphQL read: the configuration (when not checked out), every environment tag, its deployment with ' +
    'statuses, and the commits between neighbours. Then the delivery metrics: one GraphQL page per 100 ' +
    'deployments of the last environment inside the 30-day window (the history here is older than the window; ' +
    'see the table after this one).',
};
const missed: string[] = [];

const progress = (text: string) => process.stderr.write(`${text}\n`);
const benchStarted = performance.now();
const changed: string[] = [];

/** What differs between two request counts: `GET deployments/{id}/statuses 0→1`. */
function routeDifference(from: Record<string, number>, to: Record<string, number>): string {
  return [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .sort()
    .filter((route) => (from[route] ?? 0) !== (to[route] ?? 0))
    .map((route) => `${shortRoute(route)} ${from[route] ?? 0}→${to[route] ?? 0}`)
    .join(', ');
}

console.log(
  `Bench: histories of ${sizes.join(', ')} earlier deployments in the step's environment (+${versionTags} ` +
    `version tags when not empty); ${runs} run(s) per size; bundles under Node ${nodeRuntime().version}.`,
);
console.log(
  'requests: every request the step made; writes: content-creating requests (non-GET, GraphQL mutations); ' +
    'ms: median wall time of the bundle process (spawn to exit: Node start-up and waiting on the emulator ' +
    'included; measured, not asserted); emulator ms: of that, median time the emulator (this process) was busy ' +
    "answering; start ms: median time from the bundle process's start to its first request (Node start-up, " +
    'loading the bundle, reading inputs and the configuration); peak RSS: highest ru_maxrss of the bundle process over the runs (read by a NODE_OPTIONS preload ' +
    'at exit, the figure /usr/bin/time -f %M gives); routes relative to /repos/{owner}/{repo}; ' +
    '≠: requests differ from the first size.',
);

// The floor under "start ms": Node itself starting and exiting with nothing to run, same binary, same preload.
const bareStarts: number[] = [];
for (let run = 0; run < Math.max(5, runs); run++) {
  const probeFile = join(scratch, `probe-bare-${run}`);
  spawnSync(nodeRuntime().path, ['-e', ''], {
    env: { ...process.env, NODE_OPTIONS: `--require=${preload}`, BENCH_PROBE_FILE: probeFile },
  });
  bareStarts.push((JSON.parse(readFileSync(probeFile, 'utf8')) as { exitMs: number }).exitMs);
}
console.log(
  `Node alone (no bundle) starts and exits in ${median(bareStarts).toFixed(0)} ms (median of ${bareStarts.length}); ` +
    'the rest of "start ms" is loading the bundle and reading inputs. ' +
    'Measured once while building this (medians of 15 interleaved runs to exit, no requests): Node alone 23 ms, ' +
    "a bundle of nothing but @actions/core 68 ms, the verify bundle 91 ms. So about two thirds of a bundle's " +
    'start-up is @actions/core, which loads undici at import for features the suite does not use (OIDC tokens); ' +
    "it is the toolkit GitHub's own actions use and users expect, so it stays. ncc minification did not shorten start-up (V8 parses " +
    'lazily), so bundles are not minified and stack traces point at readable code. packages/core is marked free ' +
    'of import side effects, so each bundle leaves out the use-cases it does not run (verify: 1,895 KB -> 1,745 KB, ' +
    'start-up 113 -> 91 ms in 10 interleaved runs).',
);

for (const scenario of historyScenarios(healthUrl)) {
  const { action, environments } = await historyTarget(scenario);
  if (only && !only.includes(action)) continue;
  const bundleKiB = statSync(readActionMetadata(action).mainPath).size / 1024;
  const rows: Row[] = [];
  for (const size of sizes) {
    const samples: Sample[] = [];
    for (let run = 1; run <= runs; run++) {
      progress(`  ${action}: history ${size}, run ${run}/${runs}`);
      samples.push(await measureStep(scenario, environments, size, run));
    }
    rows.push(toRow(size, samples, true));
  }
  const baseline = rows[0];
  console.log('');
  console.log(
    `${action} — ${scenario.name}; dist/${action}/index.js ${bundleKiB.toFixed(1)} KB; ` +
      `history in ${environments.join(', ')}`,
  );
  printTable(
    [
      'history',
      'requests',
      'writes',
      'ms',
      'start ms',
      'emulator ms',
      'peak RSS MB',
      '',
      'requests by route',
    ],
    rows.map((row) => {
      const difference = baseline ? routeDifference(baseline.counts, row.counts) : '';
      if (difference && baseline) {
        changed.push(`${action}: history ${row.size} vs ${baseline.size}: ${difference}`);
      }
      if (row.unstable) changed.push(`${action}: the runs at history ${row.size} disagreed on the requests`);
      return [
        String(row.size),
        String(total(row.counts)),
        String(row.writes),
        row.medianMs.toFixed(0),
        (row.medianStartMs ?? 0).toFixed(0),
        row.medianEmulatorMs.toFixed(0),
        ((row.peakKiB ?? 0) / 1024).toFixed(1),
        (difference ? '≠' : '') + (row.unstable ? '?' : ''),
        compactRoutes(row.counts),
      ];
    }),
    [true, true, true, true, true, true, true, false, false],
  );
  const most = Math.max(...rows.map((row) => total(row.counts)));
  const writes = Math.max(...rows.map((row) => row.writes));
  const met = most <= requestTarget(action, writes);
  if (!met) missed.push(`${action}: ${most} requests, target ${describeTarget(action, writes)}`);
  console.log(
    `target ${describeTarget(action, writes)} requests: ${met ? 'met' : 'NOT met'} (${most}).` +
      (TARGET_NOTES[action] ? ` ${TARGET_NOTES[action]}` : ''),
  );
}

if (!only || only.includes('rollout')) {
  // deploy-env rolling out a canary: one status per step, whatever the history.
  const rows: string[][] = [];
  const perSteps = new Map<number, number[]>();
  for (const steps of [2, 3, 5, 10]) {
    for (const size of sizes) {
      progress(`  deploy-env rollout: ${steps} steps, history ${size}`);
      const sample = await measureStep(rolloutScenario(steps), ['integration'], size, 1);
      const requests = total(sample.counts);
      perSteps.set(steps, [...(perSteps.get(steps) ?? []), requests]);
      rows.push([
        String(steps),
        String(size),
        String(requests),
        String(sample.writes),
        sample.wallMs.toFixed(0),
        compactRoutes(sample.counts),
      ]);
    }
  }
  console.log('');
  console.log(
    'deploy-env with a canary rollout (integration; steps without pauses; 1 run each): the GraphQL read, ' +
      '`Deploying`, one `Step n/m` status per step, the replaced release marked inactive, `Deployed`.',
  );
  printTable(['steps', 'history', 'requests', 'writes', 'ms', 'requests by route'], rows, [
    true,
    true,
    true,
    true,
    true,
    false,
  ]);
  const growsWithHistory = [...perSteps.values()].some((counts) => new Set(counts).size > 1);
  const perStep = [...perSteps.entries()].map(([steps, counts]) => (counts[0] ?? 0) - steps);
  console.log(
    growsWithHistory
      ? 'deploy-env rollout: the requests CHANGE with the history.'
      : `deploy-env rollout: the same requests at every history size; requests minus steps: ${[...new Set(perStep)].join(', ')}.`,
  );
}

if (!only || only.includes('metrics')) {
  // What status's delivery metrics read grows with: deployments inside the window, never the history before it.
  const rows: string[][] = [];
  for (const inWindow of [0, 100, 250, 1000]) {
    progress(`  metrics: ${inWindow} deployments in the window`);
    const emulator = await startEmulator();
    try {
      const { sha } = seedHistory(emulator, {
        deployments: 1000,
        versionTags: 0,
        environments: ['production'],
      });
      const now = Date.now();
      for (let index = 0; index < inWindow; index++) {
        emulator.seed.deployments('production', 1, {
          sha,
          task: 'deploy',
          createdAt: new Date(now - ((index + 1) / (inWindow + 1)) * 29 * 24 * 3_600_000).toISOString(),
          payload: historyPayload(emulator, 'production', sha, 500_000 + index),
        });
      }
      emulator.resetLog();
      const metrics = await readDeliveryMetrics(coreRun(emulator, 300, sha), {
        windowDays: 30,
        now: new Date(now),
      });
      rows.push([
        String(inWindow),
        '1000',
        String(emulator.requests.length),
        String(metrics.requests),
        compactRoutes(countsByRoute(emulator)),
      ]);
    } finally {
      await emulator.close();
    }
  }
  console.log('');
  console.log(
    "status's delivery metrics (in process, core readDeliveryMetrics): production holds 1,000 deployments older " +
      'than the 30-day window plus N inside it; one GraphQL page (1 point) per 100 deployments in the window.',
  );
  printTable(['in window', 'older', 'requests', 'pages', 'requests by route'], rows, [
    true,
    true,
    true,
    true,
    false,
  ]);
}

if (!only || only.includes('naive')) {
  const rows: Row[] = [];
  for (const size of sizes) {
    const naiveRuns = size >= NAIVE_SINGLE_RUN_FROM ? 1 : runs;
    const samples: Sample[] = [];
    for (let run = 1; run <= naiveRuns; run++) {
      progress(`  naive: history ${size}, run ${run}/${naiveRuns}`);
      samples.push(await measureNaive(size));
    }
    rows.push(toRow(size, samples, false));
  }
  console.log('');
  console.log(
    'reference — plain @octokit/rest recording a success the usual way (scripts/bench/naive-deactivation.ts): ' +
      'POST success, list every deployment of the environment (100 a page), POST inactive to each earlier one ' +
      '(deploy-env marks the one release its success replaces inactive, then writes the success: the environment never holds more than one active deployment). Runs inside the bench process: ' +
      `ms has no Node start-up but includes the emulator answering. ${runs} run(s) per size, only 1 from ` +
      `${NAIVE_SINGLE_RUN_FROM} deployments on.`,
  );
  printTable(
    ['history', 'requests', 'writes', 'ms', 'runs', 'requests by route'],
    rows.map((row) => [
      String(row.size),
      String(total(row.counts)),
      String(row.writes),
      row.medianMs.toFixed(0),
      String(row.runs),
      compactRoutes(row.counts),
    ]),
    [true, true, true, true, true, false],
  );
}

await health.close();
rmSync(scratch, { recursive: true, force: true });
console.log('');
console.log(
  changed.length === 0
    ? 'Every action made the same requests at every history size.'
    : `Requests that change with history:\n${changed.map((line) => `  - ${line}`).join('\n')}`,
);
console.log(
  missed.length === 0
    ? 'Every action met its request target.'
    : `Targets not met:\n${missed.map((line) => `  - ${line}`).join('\n')}`,
);
console.log(`Whole bench: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s.`);
