import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resourceNotAccessibleBody, startEmulator, type Emulator } from '@release-promotion/emulator';
import { printedOutput, runActionBundle, TEST_TOKEN, type ActionResult } from './harness/run-action.js';
import { promoteWithCore, SCENARIO_ENVIRONMENTS } from './harness/promotion-state.js';
import type { ActionName } from './harness/action-metadata.js';

// Commit messages, author names, deployment payloads and command output are written by others. They must never
// act as workflow commands in the log, reach a shell, inject HTML, break a table or mention people.
const EVIL_SUBJECT = 'feat: <img src=x onerror=alert(1)> | broken | @octocat [click](https://evil.example)';
const EVIL_BODY = [
  '',
  '::add-mask::hidden',
  '::error::forged annotation',
  '::stop-commands::pwned',
  '##[error]old syntax',
].join('\n');

let emulator: Emulator;
let sha: string;
let runId = 700;

function step(
  action: ActionName,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionResult> {
  runId += 1;
  return runActionBundle(action, {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha,
    runId,
    inputs: { environments: SCENARIO_ENVIRONMENTS, ...inputs },
    env,
  });
}

/** The workflow commands in a step's log: every line the runner would act on. */
function workflowCommands(result: ActionResult): string[] {
  return result.stdout.split('\n').filter((line) => /^\s*(::|##\[)/.test(line));
}

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.seed.user('mona', 'mona@example.com');
  sha = emulator.git.commit(`${EVIL_SUBJECT}\n${EVIL_BODY}`, {
    author: { name: '::error::<b>Mallory</b>', email: 'mallory@example.com' },
  });
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

describe('untrusted text', () => {
  it('in commit messages stays inert in logs, summaries and the Release body', async () => {
    const integration = await step('prepare-release', { environment: 'integration' });
    expect(integration.exitCode).toBe(0);
    await promoteWithCore(emulator, 'integration', sha, 650, 'accepted');
    const production = await step('prepare-release', { environment: 'production' });
    expect(production.exitCode).toBe(0);

    for (const result of [integration, production]) {
      expect(workflowCommands(result)).toEqual([`::add-mask::${TEST_TOKEN}`]);
      expect(result.summary).not.toMatch(/<img|<b>/);
      expect(result.summary).not.toMatch(/(^|[^\u200b])@octocat/);
      expect(result.summary).not.toContain('[click](https://evil.example)');
      // Every table row keeps its two cells: no unescaped pipe from the subject.
      for (const row of result.summary.split('\n').filter((line) => line.startsWith('| '))) {
        expect(row.replace(/\\\|/g, '').split('|').length).toBe(4);
      }
    }
    const release = emulator.store.releases.find((candidate) => candidate.tagName === 'v1.0.0');
    expect(release?.body).toContain('img src=x');
    expect(release?.body).not.toMatch(/<img|<b>/);
    expect(release?.body).not.toMatch(/(^|[^\u200b])@octocat/);
    // The release-notes output carries the text for other steps; the runner never interprets output files.
    expect(production.outputs['release-notes']).toContain('img src=x');
  });

  it('printed by a deploy command is relayed, but cannot act as a workflow command', async () => {
    const deploymentId = await promoteWithCore(emulator, 'production', sha, 660, 'prepared');
    const result = await step('deploy-env', {
      environment: 'production',
      'deployment-id': String(deploymentId),
      run: 'echo "::error::from the deploy script"; echo "  ::set-env name=X::y"; echo "plain line"',
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('from the deploy script');
    expect(result.stdout).toContain('plain line');
    expect(workflowCommands(result)).toEqual([`::add-mask::${TEST_TOKEN}`]);
  });

  it('in a forged deployment payload is not taken for a release record, and stays escaped', async () => {
    const forged = emulator.git.commit('fix: ordinary');
    emulator.seed.deployments('integration', 1, {
      sha: forged,
      payload: {
        'release-promotion': {
          schema: 1,
          kind: 'release',
          environment: 'integration',
          sha: forged,
          version: '9.9.9\n::error::forged | <script>x</script>',
          previous: null,
          run: { id: 1, attempt: 1, url: 'https://evil.example' },
          actor: '@everyone',
          forced: null,
          rollback: null,
        },
      },
    });
    emulator.git.run(['update-ref', 'refs/tags/env/integration', forged]);
    const result = await step('status', {});
    expect(result.exitCode).toBe(0);
    expect(workflowCommands(result)).toEqual([`::add-mask::${TEST_TOKEN}`]);
    expect(result.summary).not.toContain('<script>');
    expect(result.summary).not.toContain('9.9.9');
    expect(result.summary).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(JSON.parse(result.outputs.environments ?? '[]')[0]).toMatchObject({ sha: forged, version: null });
    // Every row of the environment table keeps its 8 cells (the metrics table after it has 2).
    const [statusTable = ''] = result.summary.split('### Delivery metrics');
    const rows = statusTable.split('\n').filter((line) => line.startsWith('| '));
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) {
      expect(row.replace(/\\\|/g, '').split('|').length).toBe(10);
    }
  });
});

describe('the token', () => {
  it('is never printed, not even in debug logs of a failed request', async () => {
    emulator.faults.add({
      route: 'POST /repos/{owner}/{repo}/deployments',
      status: 403,
      body: resourceNotAccessibleBody(),
    });
    const result = await step(
      'prepare-release',
      { environment: 'integration' },
      { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
    );
    emulator.faults.clear();
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::debug::');
    expect(printedOutput(result)).not.toContain(TEST_TOKEN);
    expect(result.stdout.split('\n').filter((line) => line.includes(TEST_TOKEN))).toEqual([
      `::add-mask::${TEST_TOKEN}`,
    ]);
  });
});
