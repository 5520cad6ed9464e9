import { UserError } from './errors.js';

/**
 * What the core needs to know about the workflow run it is part of. Entry points build it from the
 * runner's `GITHUB_*` variables with {@link readRunContext}; tests build it directly.
 */
export interface RunContext {
  /** Repository owner, e.g. `octo-org`. */
  owner: string;
  /** Repository name, e.g. `shop`. */
  repo: string;
  /** The commit that triggered the run (`GITHUB_SHA`). */
  sha: string;
  /** The ref that triggered the run (`GITHUB_REF`), e.g. `refs/heads/main`. */
  ref: string;
  /** Workflow run id (`GITHUB_RUN_ID`). */
  runId: number;
  /** Attempt of this run, 1 for the first, higher for "Re-run jobs" (`GITHUB_RUN_ATTEMPT`). */
  runAttempt: number;
  /** Login of the person or app that started the run (`GITHUB_ACTOR`). */
  actor: string;
  /** Web URL of the GitHub instance, e.g. `https://github.com` (`GITHUB_SERVER_URL`). */
  serverUrl: string;
  /** REST API URL (`GITHUB_API_URL`). */
  apiUrl: string;
  /** Workflow name (`GITHUB_WORKFLOW`). */
  workflow: string;
  /** Job id (`GITHUB_JOB`). */
  job: string;
  /** Checked-out workspace (`GITHUB_WORKSPACE`), if any. */
  workspace: string | undefined;
}

/** The web URL of the workflow run, where its logs are. */
export function runUrl(context: RunContext): string {
  return `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}/attempts/${context.runAttempt}`;
}

/** The web URL of a commit. */
export function commitUrl(context: RunContext, sha: string): string {
  return `${context.serverUrl}/${context.owner}/${context.repo}/commit/${sha}`;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) {
    throw new UserError(
      `The runner variable ${name} is not set. These actions run inside a GitHub Actions job, which sets it; ` +
        `when running an action locally, set ${name} yourself.`,
    );
  }
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback?: number): number {
  const raw = env[name];
  if (!raw && fallback !== undefined) return fallback;
  const value = Number(required(env, name));
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UserError(`The runner variable ${name} is '${raw}', not a positive integer.`);
  }
  return value;
}

/** Reads the run context from the runner's environment variables. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const repository = required(env, 'GITHUB_REPOSITORY');
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new UserError(`GITHUB_REPOSITORY is '${repository}'; expected 'owner/name'.`);
  }
  return {
    owner,
    repo,
    sha: required(env, 'GITHUB_SHA'),
    ref: env.GITHUB_REF ?? '',
    runId: positiveInteger(env, 'GITHUB_RUN_ID'),
    runAttempt: positiveInteger(env, 'GITHUB_RUN_ATTEMPT', 1),
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    workspace: env.GITHUB_WORKSPACE || undefined,
  };
}
