import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { runActionBundle } from './harness/run-action.js';

let emulator: Emulator;
let sha: string;

beforeAll(async () => {
  emulator = await startEmulator();
  sha = emulator.seed.file(
    '.github/promotion.yml',
    'environments: [dev, staging, live]\n',
    'chore: promotion config',
  );
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

function workspaceWith(config: string | undefined): string {
  const workspace = mkdtempSync(join(tmpdir(), 'config-workspace-'));
  if (config !== undefined) {
    mkdirSync(join(workspace, '.github'));
    writeFileSync(join(workspace, '.github', 'promotion.yml'), config);
  }
  return workspace;
}

describe('the configuration file, read by the bundles', () => {
  it('is read through the contents API at the commit when the job did not check the repository out', async () => {
    const workspace = workspaceWith(undefined);
    emulator.resetLog();
    const result = await runActionBundle('status', {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      workspace,
    });
    rmSync(workspace, { recursive: true, force: true });
    expect(result.exitCode).toBe(0);
    const environments = JSON.parse(result.outputs.environments ?? '[]') as Array<{ environment: string }>;
    expect(environments.map((environment) => environment.environment)).toEqual(['dev', 'staging', 'live']);
    expect(emulator.requests[0]).toMatchObject({
      route: '/repos/{owner}/{repo}/contents/{path}',
      query: { ref: sha },
    });
  });

  it('is read from the workspace when it is there, and the environments input overrides its chain', async () => {
    const workspace = workspaceWith('environments: [alpha, beta]\n');
    const fromFile = await runActionBundle('status', {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      workspace,
    });
    const overridden = await runActionBundle('status', {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      workspace,
      inputs: { environments: 'beta, gamma' },
    });
    rmSync(workspace, { recursive: true, force: true });
    const names = (output: string | undefined) =>
      (JSON.parse(output ?? '[]') as Array<{ environment: string }>).map(
        (environment) => environment.environment,
      );
    expect(names(fromFile.outputs.environments)).toEqual(['alpha', 'beta']);
    expect(names(overridden.outputs.environments)).toEqual(['beta', 'gamma']);
  });

  it('refuses a malformed file with one error naming the field and line, and writes nothing', async () => {
    const workspace = workspaceWith(
      'environments:\n  - name: integration\n  - name: production\n    aproval: required\n',
    );
    emulator.resetLog();
    const result = await runActionBundle('prepare-release', {
      apiUrl: emulator.url,
      repository: emulator.fullName,
      sha,
      workspace,
      inputs: { environment: 'integration' },
    });
    rmSync(workspace, { recursive: true, force: true });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/line 4/);
    expect(result.errors[0]).toContain('aproval');
    expect(result.errors[0]).toContain('approval');
    expect(emulator.writeRequests()).toEqual([]);
  });
});

/** A production environment with this `rollout` block (indented under it), after integration. */
function rolloutConfig(rollout: string[], verify: string[] = []): string {
  return [
    'environments:',
    '  - name: integration',
    '  - name: production',
    '    rollout:',
    ...rollout.map((line) => `      ${line}`),
    ...verify,
    '',
  ].join('\n');
}

describe('a bad rollout configuration, read by the deploy-env bundle', () => {
  const cases: Array<{ label: string; config: string; field: string; says: RegExp }> = [
    {
      label: 'canary weights not increasing',
      config: rolloutConfig([
        'strategy: canary',
        'steps:',
        '  - { weight: 50 }',
        '  - { weight: 20 }',
        '  - { weight: 100 }',
      ]),
      field: 'environments[1].rollout.steps[1].weight',
      says: /canary weights increase/,
    },
    {
      label: 'a last canary step that is not 100',
      config: rolloutConfig(['strategy: canary', 'steps:', '  - { weight: 10 }', '  - { weight: 80 }']),
      field: 'environments[1].rollout.steps[1].weight',
      says: /make it 100/,
    },
    {
      label: 'phased without targets',
      config: rolloutConfig(['strategy: phased', 'steps:', '  - { pause: 5m }']),
      field: 'environments[1].rollout.steps[0]',
      says: /targets/,
    },
    {
      label: 'blue-green with one slot',
      config: rolloutConfig(['strategy: blue-green', 'slots: [blue]']),
      field: 'environments[1].rollout.slots',
      says: /one slot/,
    },
    {
      label: 'a Prometheus query with no comparison',
      config: rolloutConfig(
        ['strategy: canary', 'steps:', '  - { weight: 100 }'],
        ['    verify:', '      - prometheus: http://127.0.0.1:9090', '        query: up'],
      ),
      field: 'environments[1].verify[0]',
      says: /no comparison/,
    },
  ];

  it.each(cases)(
    '$label: one error naming the field, a job summary, exit 1, no write',
    async ({ config, field, says }) => {
      const workspace = workspaceWith(config);
      emulator.resetLog();
      const result = await runActionBundle('deploy-env', {
        apiUrl: emulator.url,
        repository: emulator.fullName,
        sha,
        workspace,
        inputs: { environment: 'production', run: 'echo never run' },
      });
      rmSync(workspace, { recursive: true, force: true });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toContain(field);
      expect(result.errors[0]).toMatch(says);
      // The summary shows the field as Markdown text: its brackets escaped.
      expect(result.summary).toContain(field.replace(/[[\]]/g, '\\$&'));
      expect(result.stdout).not.toContain('never run');
      expect(emulator.writeRequests()).toEqual([]);
    },
  );
});
