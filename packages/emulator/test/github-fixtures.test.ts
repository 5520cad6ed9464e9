/**
 * The emulator against GitHub's recorded answers. `scripts/probe-github.ts` asks GitHub what the documentation
 * does not settle and writes one fixture per probe; these tests replay each fixture's requests against a fresh
 * emulator and compare the answers on the fields the fixture names.
 *
 * No fixture recorded on github.com exists yet, so the probe also runs here against an emulator: every probe
 * must produce its fixture, the emulator must replay it without a difference, and an altered copy must fail
 * the comparison on every field it names (so the comparison cannot pass vacuously). Then every fixture in
 * `packages/emulator/fixtures/github/` is compared.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../src/index.js';
import type { Fixture } from '../../../scripts/probe/fixture.js';
import { answerView } from '../../../scripts/probe/fixture.js';
import { assign, parsePath } from '../../../scripts/probe/json-path.js';
import { Normalizer } from '../../../scripts/probe/normalize.js';
import { ALL_PROBES } from '../../../scripts/probe/probes.js';
import { formatDifferences } from '../../../scripts/probe/replay.js';
import {
  buildProbeHistory,
  EMULATOR_TOKEN,
  emulatorOptionsFor,
  replayOnFreshEmulator,
} from '../../../scripts/probe/emulator-sandbox.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES_DIRECTORY = join(ROOT, 'packages', 'emulator', 'fixtures', 'github');
const PROBE_NAMES = ALL_PROBES.map((probe) => probe.name).sort();

interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/probe-github.ts` in a child process (asynchronously: the emulator answers from this one). */
function runProbeScript(emulator: Emulator, out: string, extraArguments: string[] = []): Promise<ScriptRun> {
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const script = join(ROOT, 'scripts', 'probe-github.ts');
  const args = [tsx, script, '--repo', emulator.fullName, '--out', out, '--pause-ms', '0', ...extraArguments];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GITHUB_TOKEN: EMULATOR_TOKEN,
    GITHUB_API_URL: emulator.url,
  };
  delete env.GITHUB_GRAPHQL_URL;
  delete env.NODE_OPTIONS;
  return new Promise((done) => {
    execFile(process.execPath, args, { env, cwd: ROOT, timeout: 90_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

function readFixtures(directory: string): Map<string, Fixture> {
  const files = readdirSync(directory).filter((file) => file.endsWith('.json'));
  return new Map(
    files.map((file) => [
      file.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(directory, file), 'utf8')) as Fixture,
    ]),
  );
}

/**
 * A copy of `fixture` whose recorded answers differ from the original on every field a replayable request
 * compares: a field without `[*]` is replaced; for one with `[*]`, the list before the first `[*]` becomes
 * `["altered"]`.
 */
function alterEveryComparedField(fixture: Fixture): Fixture {
  const copy = structuredClone(fixture);
  for (const exchange of copy.exchanges) {
    if (exchange.replay === false) continue;
    const view = answerView(exchange.answer);
    for (const path of exchange.compare) {
      const star = path.indexOf('[*]');
      if (star < 0) assign(view, path, 'altered by the test');
      else assign(view, path.slice(0, star), ['altered by the test']);
    }
    Object.assign(exchange.answer, view);
  }
  return copy;
}

function comparedFields(fixture: Fixture): number {
  return fixture.exchanges
    .filter((exchange) => exchange.replay !== false)
    .reduce((sum, exchange) => sum + exchange.compare.length, 0);
}

let emulator: Emulator;
let out: string;
let run: ScriptRun;
let fixtures: Map<string, Fixture>;
let seededDeployment: number;

beforeAll(async () => {
  emulator = await startEmulator(emulatorOptionsFor({ tokenHasWorkflowsPermission: false }));
  buildProbeHistory(emulator);
  // What GitHub creates for a workflow job with `environment:`: by github-actions, with an empty payload.
  [seededDeployment] = emulator.seed.deployments('e2e-github-made', 1) as [number];
  out = mkdtempSync(join(tmpdir(), 'probe-fixtures-'));
  run = await runProbeScript(emulator, out);
  fixtures = readFixtures(out);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the probe, run against an emulator', () => {
  it('exits 0 and writes one fixture per probe', () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect([...fixtures.keys()].sort()).toEqual(PROBE_NAMES);
    expect(PROBE_NAMES).toHaveLength(7);
  });

  it("sends only requests GitHub's OpenAPI description and GraphQL schema accept", () => {
    expect(emulator.problems).toEqual([]);
  });

  it('removes every tag and deployment it created', () => {
    expect(emulator.git.run(['for-each-ref', '--format=%(refname)', 'refs/tags/'])).toBe('');
    expect(emulator.store.deployments.map((deployment) => deployment.id)).toEqual([seededDeployment]);
  });

  it('records where and with what token it ran, and never the token itself', () => {
    for (const fixture of fixtures.values()) {
      expect(fixture.recorded).toMatchObject({
        target: 'emulator',
        apiUrl: emulator.url,
        repository: emulator.fullName,
        tokenHasWorkflowsPermission: false,
      });
      expect(JSON.stringify(fixture)).not.toContain(EMULATOR_TOKEN);
    }
  });

  it('answers the questions (as the emulator sees them)', () => {
    expect(fixtures.get('workflows-permission')?.findings).toMatchObject({
      restMove: {
        status: 403,
        acceptedPermissions: 'contents=write,workflows=write',
        tagAt: '<commit:head>',
      },
      restCreate: { status: 403, tagAt: 'absent' },
    });
    expect(fixtures.get('create-existing-ref')?.findings).toMatchObject({
      rest: { status: 422, message: 'Reference already exists' },
      tagAt: '<commit:head>',
    });
    expect(fixtures.get('workflow-deployment-task')?.findings).toEqual({
      workflowDeployments: 1,
      workflowDeploymentTasks: ['deploy'],
      taskOfRestDeploymentWithoutTask: 'deploy',
    });
  });
});

describe('its fixtures, replayed against a fresh emulator', () => {
  it.each(PROBE_NAMES)('%s: a fresh emulator replays its fixture without a difference', async (name) => {
    const fixture = fixtures.get(name) as Fixture;
    const result = await replayOnFreshEmulator(fixture);
    expect(formatDifferences(name, result.differences)).toBe('');
    expect(result.problems).toEqual([]);
    expect(result.fieldsCompared).toBe(comparedFields(fixture));
    expect(result.fieldsCompared).toBeGreaterThan(0);
    expect(result.replayed + result.skipped).toBe(fixture.exchanges.length);
  });

  it.each(PROBE_NAMES)('%s: an altered copy fails the comparison on every field it names', async (name) => {
    const fixture = fixtures.get(name) as Fixture;
    const result = await replayOnFreshEmulator(alterEveryComparedField(fixture));
    expect(result.fieldsCompared).toBe(comparedFields(fixture));
    expect(result.differences).toHaveLength(result.fieldsCompared);
  });

  it('reports a difference with the request, the field and both values', async () => {
    const fixture = structuredClone(fixtures.get('create-existing-ref') as Fixture);
    const index = fixture.exchanges.findIndex((exchange) => exchange.compare.includes('body.message'));
    const exchange = fixture.exchanges[index];
    if (exchange === undefined) throw new Error('create-existing-ref has no body.message to alter');
    (exchange.answer.body as { message: string }).message = 'Reference already exists!';
    const result = await replayOnFreshEmulator(fixture);
    expect(formatDifferences('create-existing-ref', result.differences)).toBe(
      `create-existing-ref #${index + 1} "${exchange.step}": body.message\n` +
        '    recorded: "Reference already exists!"\n' +
        '    replayed: "Reference already exists"',
    );
  });
});

describe('the probe, on a repository that is not a sandbox', () => {
  it('refuses a repository with tags it did not create, and writes nothing', async () => {
    const other = await startEmulator();
    const elsewhere = mkdtempSync(join(tmpdir(), 'probe-refused-'));
    try {
      const sha = other.git.commit('A release');
      other.git.run(['tag', 'v1.0.0', sha]);
      const refused = await runProbeScript(other, elsewhere);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('has tags the probe did not create (refs/tags/v1.0.0)');
      expect(other.writeRequests()).toEqual([]);
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      await other.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('fixtures recorded on GitHub (packages/emulator/fixtures/github/)', () => {
  const recorded = readFixtures(FIXTURES_DIRECTORY);

  it('holds a README and only fixtures of known probes recorded on GitHub', () => {
    expect(readdirSync(FIXTURES_DIRECTORY)).toContain('README.md');
    for (const [name, fixture] of recorded) {
      expect([name, PROBE_NAMES.includes(fixture.probe) && fixture.probe === name]).toEqual([name, true]);
      expect([name, fixture.recorded.target]).not.toEqual([name, 'emulator']);
    }
  });

  it('the emulator answers as GitHub did in every one of them', async () => {
    const report: string[] = [];
    let fields = 0;
    for (const [name, fixture] of recorded) {
      const result = await replayOnFreshEmulator(fixture);
      fields += result.fieldsCompared;
      if (result.differences.length > 0) report.push(formatDifferences(name, result.differences));
    }
    console.log(
      `Compared ${recorded.size} fixture(s) recorded on GitHub (${fields} fields) with the emulator.` +
        (recorded.size === 0
          ? ' None is recorded yet: see packages/emulator/fixtures/github/README.md.'
          : ''),
    );
    expect(report.join('\n')).toBe('');
  }, 120_000);
});

describe('the path syntax of fixtures', () => {
  it('splits fields, indexes and [*]', () => {
    expect(parsePath('body.errors[*].message')).toEqual(['body', 'errors', '*', 'message']);
    expect(parsePath('body[0].object.sha')).toEqual(['body', 0, 'object', 'sha']);
    expect(() => parsePath('body.errors[x]')).toThrow('Bad path');
  });
});

describe('the normalization of answers', () => {
  const head = 'a'.repeat(7) + '0123456789abcdef0123456789abcdef0';
  const normalizer = new Normalizer({ apiUrl: 'https://api.github.com', owner: 'Me', repo: 'Sandbox' });
  normalizer.bind('<commit:head>', head);
  normalizer.bind('<deployment:order>', 4242);

  it('names bound values, also abbreviated, inside URLs and messages', () => {
    expect(
      normalizer.normalize({
        id: 4242,
        statuses_url: 'https://api.github.com/repos/me/sandbox/deployments/4242/statuses',
        sha: head,
        message: `Reference is at ${head.slice(0, 7)}, not ${head.slice(0, 12)}; ${'b'.repeat(40)} moved`,
      }),
    ).toEqual({
      id: '<deployment:order>',
      statuses_url: '<api>/repos/{owner}/{repo}/deployments/<deployment:order>/statuses',
      sha: '<commit:head>',
      message: 'Reference is at <commit:head/short>, not <commit:head/short>; <sha> moved',
    });
  });

  it('replaces other ids, node ids and times, and keeps other numbers', () => {
    expect(
      normalizer.normalize({
        id: 4242,
        node_id: 'DE_kwDOabc',
        created_at: '2026-01-02T03:04:05Z',
        creator: { id: 41898282, login: 'github-actions[bot]' },
        status: 422,
        url: 'https://api.github.com/repos/Me/Sandbox/deployments/4242/statuses/77',
        data: { deployments: { nodes: [{ databaseId: 4242, id: 'DE_x' }, { databaseId: 1 }] } },
      }),
    ).toEqual({
      id: '<id>',
      node_id: '<node-id>',
      created_at: '<date>',
      creator: { id: '<id>', login: 'github-actions[bot]' },
      status: 422,
      url: '<api>/repos/{owner}/{repo}/deployments/<deployment:order>/statuses/<id>',
      data: {
        deployments: {
          nodes: [{ databaseId: '<deployment:order>', id: '<node-id>' }, { databaseId: '<id>' }],
        },
      },
    });
  });

  it('fills requests in, and refuses a placeholder nothing is bound to', () => {
    expect(
      normalizer.substitute({
        path: '/repos/{owner}/{repo}/deployments/<deployment:order>',
        sha: '<commit:head>',
      }),
    ).toEqual({ path: '/repos/Me/Sandbox/deployments/4242', sha: head });
    expect(normalizer.substitute({ id: '<deployment:order>' })).toEqual({ id: 4242 });
    expect(() => normalizer.substitute({ sha: '<commit:older>' })).toThrow(
      'Unbound placeholder <commit:older>',
    );
  });
});
