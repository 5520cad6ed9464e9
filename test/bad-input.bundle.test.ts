import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { runActionBundle, type ActionResult } from './harness/run-action.js';
import type { ActionName } from './harness/action-metadata.js';
import { ACTION_DEFINITIONS } from './harness/action-definitions.js';
import { runActionInProcess } from './harness/in-process-action.js';

const CHAIN = 'integration, preproduction, production';
let emulator: Emulator;
let sha: string;
let integrationDeployment: number;
const workspaces: string[] = [];

/** A workspace holding `.github/promotion.yml` with `text`. */
function configWorkspace(text: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'bad-config-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github', 'promotion.yml'), text);
  workspaces.push(workspace);
  return workspace;
}

interface BadInput {
  action: ActionName;
  inputs: Record<string, string>;
  /** What the error must say (what was wrong and how to fix it). */
  says: RegExp;
  config?: string;
}

const cases: Array<[string, BadInput]> = [
  [
    'no environment',
    { action: 'prepare-release', inputs: { environment: '' }, says: /'environment' is required.*e\.g\./ },
  ],
  [
    'unknown environment',
    {
      action: 'prepare-release',
      inputs: { environment: 'staging' },
      says: /'staging' is not in the chain \(integration -> preproduction -> production\).*Set 'environment' to one of them/,
    },
  ],
  [
    'duplicate environment names',
    {
      action: 'prepare-release',
      inputs: { environment: 'integration', environments: 'integration, production, integration' },
      says: /appears twice.*List each environment once/,
    },
  ],
  [
    'names that differ only in case',
    { action: 'status', inputs: { environments: 'Prod, prod' }, says: /ignore case/ },
  ],
  [
    'a path as environment name',
    {
      action: 'prepare-release',
      inputs: { environment: 'integration', environments: 'integration, ../x' },
      says: /'\.\.\/x'.*may contain only letters, digits/,
    },
  ],
  [
    'a space in an environment name',
    {
      action: 'accept',
      inputs: { environment: 'integration', environments: 'integration, pre prod' },
      says: /'pre prod'.*may contain only letters/,
    },
  ],
  [
    'a git ref as environment',
    {
      action: 'deploy-env',
      inputs: { environment: 'refs/heads/main', status: 'success' },
      says: /'refs\/heads\/main' is not in the chain.*may contain only letters/,
    },
  ],
  [
    'a 500-character environment name',
    {
      action: 'verify',
      inputs: {
        environment: 'integration',
        environments: `integration, ${'p'.repeat(500)}`,
        url: 'https://example.com',
      },
      says: /500 characters long; GitHub allows at most 255/,
    },
  ],
  [
    'a malformed version',
    {
      action: 'prepare-release',
      inputs: { environment: 'preproduction', version: 'banana' },
      says: /'version'.*banana/,
    },
  ],
  [
    'a two-part version',
    {
      action: 'prepare-release',
      inputs: { environment: 'preproduction', version: '1.2' },
      says: /'version'.*1\.2/,
    },
  ],
  [
    'an unknown bump',
    {
      action: 'prepare-release',
      inputs: { environment: 'preproduction', bump: 'huge' },
      says: /'bump'.*major.*minor.*patch/,
    },
  ],
  [
    'a ref that does not exist',
    {
      action: 'prepare-release',
      inputs: { environment: 'integration', ref: 'no-such-branch' },
      says: /'no-such-branch' \(input 'ref'\) is not a commit, branch or tag/,
    },
  ],
  [
    'force without a reason',
    {
      action: 'prepare-release',
      inputs: { environment: 'production', force: 'true' },
      says: /'reason' is required with 'force: true'/,
    },
  ],
  [
    'a dry-run that is not a boolean',
    {
      action: 'prepare-release',
      inputs: { environment: 'integration', 'dry-run': 'maybe' },
      says: /'dry-run' is 'maybe', not a boolean\. Set it to 'true' or 'false'/,
    },
  ],
  ['an empty token', { action: 'status', inputs: { token: '' }, says: /'token' is empty/ }],
  [
    'no chain at all',
    {
      action: 'status',
      inputs: { environments: '' },
      says: /No promotion configuration.*Add \.github\/promotion\.yml/,
    },
  ],
  [
    'a configuration file that is not YAML',
    {
      action: 'prepare-release',
      inputs: { environment: 'integration', environments: '' },
      config: 'environments: [integration\n  - production: {\n',
      says: /line \d/,
    },
  ],
  [
    'an unknown key in the configuration',
    {
      action: 'prepare-release',
      inputs: { environment: 'integration', environments: '' },
      config: 'environments:\n  - name: integration\n    aproval: required\n',
      says: /aproval.*approval/,
    },
  ],
  [
    'a wrong type in the configuration',
    {
      action: 'accept',
      inputs: { environment: 'integration', environments: '' },
      config: 'environments:\n  - name: integration\n    prevent-self-approval: sometimes\n',
      says: /prevent-self-approval/,
    },
  ],
  [
    'starts-at naming no environment',
    {
      action: 'prepare-release',
      inputs: { environment: 'integration', environments: '' },
      config: 'environments: [integration, production]\nversioning:\n  starts-at: staging\n',
      says: /starts-at/,
    },
  ],
  [
    'a metrics window that is not a number of days',
    {
      action: 'status',
      inputs: { 'metrics-window-days': 'a month' },
      says: /'metrics-window-days' is 'a month', not a positive whole number.*a number of days/,
    },
  ],
  [
    'a stale threshold of zero days',
    { action: 'status', inputs: { 'stale-after-days': '0' }, says: /'stale-after-days' is '0'/ },
  ],
  [
    'force on accept without a reason',
    {
      action: 'accept',
      inputs: { environment: 'integration', force: 'true' },
      says: /reason/,
    },
  ],
  [
    'a config path outside the workspace',
    { action: 'status', inputs: { config: '../../etc/passwd' }, says: /config/ },
  ],
  [
    'a board path climbing out of the workspace',
    {
      action: 'status',
      inputs: { board: '../site/index.html' },
      says: /'board' is '\.\.\/site\/index\.html', which leads outside the workspace\. Give a path inside the workspace/,
    },
  ],
  [
    'a board path climbing out through a folder',
    {
      action: 'status',
      inputs: { board: 'board/../../../index.html' },
      says: /'board' is 'board\/\.\.\/\.\.\/\.\.\/index\.html', which leads outside the workspace/,
    },
  ],
  [
    'an absolute board path outside the workspace',
    {
      action: 'status',
      inputs: { board: '/etc/board.html' },
      says: /'board' is '\/etc\/board\.html', which is not a file inside the workspace \(.+\)\. Give a path relative to the workspace, e\.g\. 'board\/index\.html'/,
    },
  ],
  [
    'a board path naming a directory',
    {
      action: 'status',
      inputs: { board: 'site/' },
      says: /'board' is 'site\/', a directory\. Give the path of the HTML file/,
    },
  ],
  [
    'a misspelt environment',
    {
      action: 'accept',
      inputs: { environment: 'prodution' },
      says: /'prodution' is not in the chain \(integration -> preproduction -> production\)\. Did you mean 'production'\?/,
    },
  ],
  [
    'a deployment id that is not a number',
    {
      action: 'deploy-env',
      inputs: { environment: 'integration', 'deployment-id': 'abc', status: 'success' },
      says: /'deployment-id' is 'abc', not a positive whole number/,
    },
  ],
  [
    'a deployment of another environment',
    {
      action: 'deploy-env',
      inputs: { environment: 'production', 'deployment-id': 'INTEGRATION_DEPLOYMENT', status: 'success' },
      says: /is for environment 'integration', not 'production'/,
    },
  ],
  [
    'a deployment id of another repository',
    {
      action: 'accept',
      inputs: { environment: 'integration', 'deployment-id': '987654321' },
      says: /Deployment 987654321 \(input 'deployment-id'\) does not exist in octo-org\/shop/,
    },
  ],
  [
    'an unknown deploy status',
    {
      action: 'deploy-env',
      inputs: { environment: 'integration', status: 'done' },
      says: /'status' is 'done'.*'in_progress', 'success', 'failure'/,
    },
  ],
  [
    'deploy-env with neither status nor run',
    { action: 'deploy-env', inputs: { environment: 'integration' }, says: /needs either 'status'.*or 'run'/ },
  ],
  [
    'a verify URL with another scheme',
    {
      action: 'verify',
      inputs: { environment: 'integration', url: 'ftp://example.com/health' },
      says: /scheme 'ftp'\. Only http and https/,
    },
  ],
  [
    'a verify URL with credentials',
    {
      action: 'verify',
      inputs: { environment: 'integration', url: 'https://user:secret@example.com/health' },
      says: /credentials/,
    },
  ],
  [
    'negative attempts',
    {
      action: 'verify',
      inputs: { environment: 'integration', url: 'https://example.com', attempts: '-1' },
      says: /'attempts'/,
    },
  ],
  [
    'absurd attempts',
    {
      action: 'verify',
      inputs: { environment: 'integration', url: 'https://example.com', attempts: '1000000' },
      says: /'attempts'/,
    },
  ],
  [
    'a zero timeout',
    {
      action: 'verify',
      inputs: { environment: 'integration', url: 'https://example.com', timeout: '0' },
      says: /'timeout'/,
    },
  ],
  [
    'an absurd bake time',
    {
      action: 'verify',
      inputs: { environment: 'integration', url: 'https://example.com', 'bake-time': '1e9' },
      says: /'bake-time'/,
    },
  ],
  [
    'an interval that is not a number',
    {
      action: 'verify',
      inputs: { environment: 'integration', url: 'https://example.com', interval: 'soon' },
      says: /'interval'/,
    },
  ],
  [
    'checks that are not YAML',
    { action: 'verify', inputs: { environment: 'integration', checks: '- url: [unclosed' }, says: /checks/ },
  ],
  [
    'a check with an unknown key',
    {
      action: 'verify',
      inputs: { environment: 'integration', checks: '- url: https://example.com\n  stauts: 200\n' },
      says: /stauts.*status/,
    },
  ],
  [
    'an unknown approval source',
    {
      action: 'accept',
      inputs: { environment: 'integration', approval: 'maybe' },
      says: /'approval' is 'maybe'.*'run', 'none'/,
    },
  ],
  [
    'a rollback without a reason',
    { action: 'rollback', inputs: { environment: 'integration', reason: '' }, says: /'reason' is required/ },
  ],
  [
    'a rollback to a version never released',
    {
      action: 'rollback',
      inputs: { environment: 'integration', reason: 'x', to: 'v9.9.9' },
      says: /9\.9\.9/,
    },
  ],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

beforeAll(async () => {
  emulator = await startEmulator();
  sha = emulator.git.commit('feat: first');
  [integrationDeployment] = emulator.seed.deployments('integration', 1, { sha }) as [number];
  emulator.git.run(['update-ref', 'refs/tags/env/integration', sha]);
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
  for (const workspace of workspaces) rmSync(workspace, { recursive: true, force: true });
  console.log(`bad-input table: ${cases.length} cases`);
});

/** The first case of each action: run as the bundle too, where the runner's plumbing (exit code, files) counts. */
const bundleCases = cases.filter(
  ([, bad], index) => cases.findIndex(([, other]) => other.action === bad.action) === index,
);

describe('bad input: exit code 1, one error and a job summary that say what to fix, and no write', () => {
  it('has at least 30 cases across the actions', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map(([, input]) => input.action)).size).toBe(6);
    expect(bundleCases).toHaveLength(6);
  });

  // Every case in-process, through the same runner as the bundle (`runAction`).
  it.each(cases)('%s', async (_name, bad) => {
    await expectRefused(bad, (action, options) => runActionInProcess(ACTION_DEFINITIONS[action], options));
  });

  // One case per action as the runner runs the committed bundle.
  it.each(bundleCases)('bundle: %s', async (_name, bad) => {
    await expectRefused(bad, runActionBundle);
  });
});

/** Runs `bad` with `run` and checks the refusal: exit code 1, one error saying what to fix, a summary, no write. */
async function expectRefused(
  bad: BadInput,
  run: (action: ActionName, options: Parameters<typeof runActionBundle>[1]) => Promise<ActionResult>,
): Promise<void> {
  const inputs = Object.fromEntries(
    Object.entries({ environments: CHAIN, ...bad.inputs }).map(([name, value]) => [
      name,
      value === 'INTEGRATION_DEPLOYMENT' ? String(integrationDeployment) : value,
    ]),
  );
  emulator.resetLog();
  const result = await run(bad.action, {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha,
    inputs,
    ...(bad.config !== undefined ? { workspace: configWorkspace(bad.config) } : {}),
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toMatch(bad.says);
  expect(emulator.writeRequests()).toEqual([]);
  // The job summary says the same: which action was refused, where, and what to fix.
  const where = inputs.environment ? ` in \`${inputs.environment}\`` : '';
  expect(result.summary).toMatch(new RegExp(`^### ❌ \`${bad.action}\`${escapeRegExp(where)} was refused\n`));
  expect(result.summary).toContain('**What went wrong and how to fix it:** ');
  expect(result.summary.split('### ❌')).toHaveLength(2);
}
