/**
 * Asks GitHub what its documentation does not settle, and records the answers as fixtures the emulator's tests
 * compare the emulator with (`packages/emulator/fixtures/github/<probe>.json`, format in `scripts/probe/`).
 *
 *   GITHUB_TOKEN=... npx tsx scripts/probe-github.ts --repo owner/sandbox [--out dir] [--only a,b]
 *
 * GITHUB_API_URL (default https://api.github.com) and GITHUB_GRAPHQL_URL choose the API, so the probe also runs
 * against the emulator (its tests do). It writes to a sandbox repository only: it refuses one with tags outside
 * `refs/tags/probe/` (its own) and `refs/tags/e2e/` (the e2e workflow's), creates tags under `probe/` and
 * deployments in `probe-*` environments, and removes them afterwards (the environments stay). The sandbox needs
 * two commits with the same `.github/workflows` on its default branch, and for the workflows probe an older one
 * whose `.github/workflows` differs from every branch head's (a copy of this repository has both).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { FIXTURE_FORMAT, ProbeSession, type Fixture, type RecordingInfo } from './probe/fixture.js';
import { endpointUrls, sendExpecting, type Endpoint } from './probe/http.js';
import { Normalizer } from './probe/normalize.js';
import type { Probe } from './probe/probe.js';
import { ALL_PROBES } from './probe/probes.js';
import {
  discoverRoles,
  refuseForeignTags,
  removeCreated,
  removeLeftovers,
  ROLE_DESCRIPTIONS,
} from './probe/sandbox.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const DEFAULT_OUT = join(ROOT, 'packages', 'emulator', 'fixtures', 'github');
const USAGE = `Usage: GITHUB_TOKEN=<token> npx tsx scripts/probe-github.ts --repo <owner/name> [options]
  --out <dir>                          where to write <probe>.json (default packages/emulator/fixtures/github)
  --only <name,...>                    run only these probes (${ALL_PROBES.map((probe) => probe.name).join(', ')})
  --pause-ms <n>                       pause between deployment statuses, so their times differ (default 1100)
  --token-has-workflows-permission     the token holds the workflows permission (GITHUB_TOKEN never does)
Environment: GITHUB_TOKEN (required), GITHUB_API_URL (default https://api.github.com), GITHUB_GRAPHQL_URL.`;

interface Options {
  owner: string;
  repo: string;
  out: string;
  probes: Probe[];
  pauseMs: number;
  tokenHasWorkflowsPermission: boolean;
  endpoint: Endpoint;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      repo: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
      'pause-ms': { type: 'string', default: '1100' },
      'token-has-workflows-permission': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const [owner, repo, ...rest] = (values.repo ?? '').split('/');
  if (!owner || !repo || rest.length > 0) fail(`--repo owner/name is required.\n${USAGE}`);
  const token = process.env.GITHUB_TOKEN;
  if (!token) fail(`GITHUB_TOKEN is not set.\n${USAGE}`);
  const names = values.only?.split(',').map((name) => name.trim());
  const unknown = names?.filter((name) => !ALL_PROBES.some((probe) => probe.name === name)) ?? [];
  if (unknown.length > 0) fail(`Unknown probe(s): ${unknown.join(', ')}.\n${USAGE}`);
  const pauseMs = Number(values['pause-ms']);
  if (!Number.isInteger(pauseMs) || pauseMs < 0) fail('--pause-ms takes a whole number of milliseconds.');
  const urls = endpointUrls(
    process.env.GITHUB_API_URL || 'https://api.github.com',
    process.env.GITHUB_GRAPHQL_URL || undefined,
  );
  return {
    owner,
    repo,
    out: resolve(values.out ?? DEFAULT_OUT),
    probes: ALL_PROBES.filter((probe) => names === undefined || names.includes(probe.name)),
    pauseMs,
    tokenHasWorkflowsPermission: values['token-has-workflows-permission'],
    endpoint: { ...urls, token },
  };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** `github.com` for api.github.com, `emulator` when the answers carry the emulator's request ids. */
function targetOf(apiUrl: string, headers: Record<string, string>): RecordingInfo['target'] {
  if (apiUrl === 'https://api.github.com') return 'github.com';
  return (headers['x-github-request-id'] ?? '').startsWith('EMU') ? 'emulator' : 'other';
}

/** Runs one probe, removes what it created, and returns its fixture (undefined when it failed). */
async function runProbe(
  options: Options,
  probe: Probe,
  roles: Record<string, string>,
  recorded: RecordingInfo,
): Promise<Fixture | undefined> {
  const normalizer = new Normalizer({
    apiUrl: options.endpoint.apiUrl,
    owner: options.owner,
    repo: options.repo,
  });
  for (const role of probe.roles) normalizer.bind(role, roles[role] ?? '');
  const session = new ProbeSession(options.endpoint, normalizer, options.pauseMs);
  let findings: Record<string, unknown> | undefined;
  try {
    findings = await probe.run(session);
  } catch (error) {
    console.error(`✗ ${probe.name}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    const leftovers = await removeCreated(options.endpoint, options.owner, options.repo, session.created);
    for (const leftover of leftovers) console.error(`✗ ${probe.name}: could not remove ${leftover}`);
    if (leftovers.length > 0) findings = undefined;
  }
  if (findings === undefined) return undefined;
  return {
    format: FIXTURE_FORMAT,
    probe: probe.name,
    question: probe.question,
    recorded,
    roles: Object.fromEntries(probe.roles.map((role) => [role, ROLE_DESCRIPTIONS[role] ?? role])),
    exchanges: session.exchanges,
    findings,
  };
}

async function writeFixture(directory: string, fixture: Fixture): Promise<string> {
  const file = join(directory, `${fixture.probe}.json`);
  const config = (await resolveConfig(join(ROOT, 'package.json'))) ?? {};
  writeFileSync(file, await format(JSON.stringify(fixture), { ...config, parser: 'json' }));
  return file;
}

async function main(): Promise<number> {
  const options = readOptions();
  const { endpoint, owner, repo } = options;
  const repository = await sendExpecting(endpoint, { method: 'GET', path: `/repos/${owner}/${repo}` }, [200]);
  const { default_branch: defaultBranch, full_name: fullName } = repository.body as {
    default_branch: string;
    full_name: string;
  };
  await refuseForeignTags(endpoint, owner, repo);
  const removed = await removeLeftovers(endpoint, owner, repo);
  if (removed > 0) console.log(`Removed ${removed} tag(s) and deployment(s) left by an earlier run.`);
  const roles = await discoverRoles(endpoint, owner, repo, defaultBranch);
  for (const [role, sha] of Object.entries(roles)) console.log(`${role} = ${sha}`);
  const recorded: RecordingInfo = {
    at: new Date().toISOString(),
    target: targetOf(endpoint.apiUrl, repository.headers),
    apiUrl: endpoint.apiUrl,
    repository: fullName,
    tokenHasWorkflowsPermission: options.tokenHasWorkflowsPermission,
    tool: 'npx tsx scripts/probe-github.ts',
  };
  mkdirSync(options.out, { recursive: true });
  let failures = 0;
  for (const probe of options.probes) {
    const missing = probe.roles.filter((role) => roles[role] === undefined);
    if (missing.length > 0) {
      console.log(
        `- ${probe.name}: skipped, no ${missing.map((role) => `${role} (${ROLE_DESCRIPTIONS[role]})`).join(', ')}`,
      );
      continue;
    }
    const fixture = await runProbe(options, probe, roles, recorded);
    if (fixture === undefined) {
      failures += 1;
      continue;
    }
    const file = await writeFixture(options.out, fixture);
    console.log(`✓ ${probe.name}: ${fixture.exchanges.length} requests -> ${file}`);
    console.log(`  ${JSON.stringify(fixture.findings)}`);
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
