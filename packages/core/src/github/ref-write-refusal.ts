/**
 * GitHub's refusals of ref writes (version and environment tags), told apart from races and rate limits, and
 * turned into errors that say how to fix them. A caller first reads the ref back: only a ref left unchanged by an
 * error answer is a refusal (a ref moved meanwhile is another run's write, a race).
 */
import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { RefWriteRefusedError, TransientError, type RefWriteRefusalReason } from '../errors.js';
import { ACTION_PERMISSIONS, permissionEntry, type SuiteActionName } from './action-permissions.js';
import { isRateLimitAnswer } from './http-status.js';

/** The GraphQL errors of a GraphQL answer with `errors` (HTTP 200); none for any other error. */
function graphqlErrorsOf(error: unknown): Array<{ type?: string; message?: string }> {
  return error instanceof GraphqlResponseError ? (error.errors ?? []) : [];
}

/** Whether GitHub's GraphQL API answered `RATE_LIMITED`. */
export function isGraphqlRateLimit(error: unknown): boolean {
  return graphqlErrorsOf(error).some((entry) => entry.type === 'RATE_LIMITED');
}

/**
 * Whether `error` is GitHub answering a write with a refusal (a GraphQL error, or an HTTP 4xx that is not a rate
 * limit), as opposed to a lost answer or a rate limit. Whether the ref moved anyway is for the caller to read.
 */
export function isRefusalAnswer(error: unknown): boolean {
  if (isGraphqlRateLimit(error)) return false;
  if (error instanceof GraphqlResponseError) return true;
  return (
    error instanceof RequestError && error.status >= 400 && error.status < 500 && !isRateLimitAnswer(error)
  );
}

/** GitHub's own words: the GraphQL errors' messages, or the REST body's `message`. */
export function githubMessageOf(error: unknown): string {
  const graphqlErrors = graphqlErrorsOf(error);
  if (graphqlErrors.length > 0) return graphqlErrors.map((entry) => entry.message ?? '').join('; ');
  if (error instanceof RequestError) {
    const data = error.response?.data as { message?: unknown } | undefined;
    if (typeof data?.message === 'string') return data.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function reasonOf(error: unknown, message: string): RefWriteRefusalReason {
  const accepted =
    error instanceof RequestError
      ? String(error.response?.headers['x-accepted-github-permissions'] ?? '')
      : '';
  if (/`?workflows`? permission/i.test(message) || /\bworkflows=/.test(accepted))
    return 'workflows-permission';
  if (/rule violations|ruleset|protected ref/i.test(message)) return 'ruleset';
  const forbidden = graphqlErrorsOf(error).some((entry) => entry.type === 'FORBIDDEN');
  if (forbidden || (error instanceof RequestError && error.status === 403)) return 'permission';
  if (/not accessible by integration|must have .* access|permission/i.test(message)) return 'permission';
  return 'other';
}

/** The tags a ruleset would cover, for advice: `env/*` for `refs/tags/env/production`, else the tag itself. */
function tagPattern(ref: string): string {
  const tag = ref.replace(/^refs\/tags\//, '');
  const slash = tag.lastIndexOf('/');
  return slash > 0 ? `${tag.slice(0, slash)}/*` : tag;
}

/**
 * The `actions/create-github-app-token` step giving a token that may write such tags: the permissions of
 * `action` (from the table; `contents` at `write`) and `workflows: write`. Without `action`, those every
 * tag-writing action needs.
 */
export function appTokenHint(action?: SuiteActionName): string {
  const needs = action
    ? ACTION_PERMISSIONS[action].map(permissionEntry)
    : ['contents: write', 'deployments: write'];
  const entries = [
    ...needs.map((entry) => entry.replace(/^contents: read$/, 'contents: write')),
    'workflows: write',
  ];
  return [
    "Create the token in the job and pass it as the action's 'token' input:",
    '  - uses: actions/create-github-app-token@v2',
    '    id: app-token',
    '    with:',
    '      app-id: ${{ vars.RELEASE_APP_ID }}',
    '      private-key: ${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
    ...entries.sort().map((entry) => `      permission-${entry}`),
    `  - uses: ${action ? `octo-org/release-promotion/${action}@v1` : '<the release-promotion step>'}`,
    '    with:',
    '      token: ${{ steps.app-token.outputs.token }}',
  ].join('\n');
}

const FIXES: Record<RefWriteRefusalReason, (ref: string) => string> = {
  'workflows-permission': () =>
    "The token lacks the 'workflows' permission, which GitHub requires to point a tag at a commit whose " +
    '.github/workflows files differ from those of the branch heads; a GITHUB_TOKEN can never have it. Use a ' +
    "GitHub App installation token with 'contents: write' and 'workflows: write' (e.g. from " +
    "actions/create-github-app-token), passed as the action's 'token' input, and re-run the job.",
  ruleset: (ref) =>
    `A repository ruleset protects ${ref}. Let the token bypass the ruleset that covers the ${tagPattern(ref)} ` +
    `tags (add the GitHub App or the role to its bypass list, Settings > Rules > Rulesets), or exclude ` +
    `${tagPattern(ref)} from it; then re-run the job.`,
  permission: () =>
    "The token may not write tags: give the job 'contents: write' (a GitHub App token needs it too), then " +
    're-run the job.',
  other: () =>
    "Check the repository's rulesets and the token's permissions for this tag; re-run the job once GitHub " +
    'accepts the write.',
};

/** The error for a ref write GitHub refused (the ref unchanged), with GitHub's message and the fix. */
export function refWriteRefused(error: unknown, ref: string): RefWriteRefusedError {
  const message = githubMessageOf(error);
  const reason = reasonOf(error, message);
  const hint =
    reason === 'workflows-permission'
      ? appTokenHint()
      : reason === 'permission'
        ? 'Add to the workflow or job:\n  permissions:\n    contents: write'
        : undefined;
  return new RefWriteRefusedError(ref, message, FIXES[reason](ref), reason, {
    cause: error,
    ...(hint ? { hint } : {}),
  });
}

/** The error for a ref write stopped by GitHub's rate limit: nothing was written; re-run after the reset. */
export function refWriteRateLimited(error: unknown, ref: string): TransientError {
  const headers =
    error instanceof RequestError
      ? error.response?.headers
      : error instanceof GraphqlResponseError
        ? error.headers
        : undefined;
  const reset = Number(headers?.['x-ratelimit-reset']);
  const when = Number.isFinite(reset) && reset > 0 ? ` at ${new Date(reset * 1000).toISOString()}` : '';
  return new TransientError(
    `GitHub's rate limit stopped the write of ${ref} ("${githubMessageOf(error)}"); ${ref} was not changed. ` +
      `Re-run the job after the limit resets${when}; it completes what this run left half done.`,
    { cause: error },
  );
}

/**
 * Sends a ref write, telling a rate limit that stopped it as such: GitHub refused it before any change, so it is
 * neither a refusal to read back nor a lost answer, and a re-run after the reset completes it.
 */
export async function sendRefWrite<T>(ref: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isGraphqlRateLimit(error) || isRateLimitAnswer(error)) throw refWriteRateLimited(error, ref);
    throw error;
  }
}
