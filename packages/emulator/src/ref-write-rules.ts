/**
 * GitHub's rules on who may write which ref, reproduced when the emulator is started with them (both are off by
 * default): the `workflows` permission rule for GitHub App tokens and repository rulesets protecting tags. REST
 * ref writes (`POST /git/refs`, `PATCH /git/refs/{ref}`, `DELETE /git/refs/{ref}`) and GraphQL `updateRefs`
 * consult {@link refWriteRefusal} before writing.
 */
import { GitHubApiError } from './errors.js';
import type { GitRepository } from './git-repository.js';
import type { WorkflowsRule } from './types.js';

/** The rules of one emulator, from its options. */
export interface RefWriteRules {
  workflowsRule?: WorkflowsRule;
  /** Tag name patterns (`env/*`) protected by a ruleset. */
  tagRulesets: string[];
}

/** What a ref write does. */
export type RefWriteKind = 'create' | 'update' | 'delete';

/** A refused ref write, as GitHub answers it in REST and in GraphQL. */
export interface RefWriteRefusal {
  rule: 'workflows' | 'ruleset';
  /** GitHub's message, the same in both APIs. */
  message: string;
  /** The REST status. */
  status: 403 | 422;
  /** Extra REST response headers. */
  headers: Record<string, string>;
  /** The `type` of the GraphQL error. */
  graphqlType: 'FORBIDDEN' | 'UNPROCESSABLE';
}

/** One ref write to check: its full name, what it does and, unless a deletion, the object it points at. */
export interface RefWrite {
  name: string;
  kind: RefWriteKind;
  target?: string;
}

const WORKFLOWS_DIRECTORY = '.github/workflows';

/** The header GitHub adds to a 403 naming the permissions the request needs. */
export const ACCEPTED_PERMISSIONS_HEADER = 'x-accepted-github-permissions';

/** A REST error answer carrying extra response headers (the server sends them with the error body). */
export class GitHubApiErrorWithHeaders extends GitHubApiError {
  constructor(
    status: number,
    message: string,
    readonly headers: Record<string, string>,
  ) {
    super(status, message);
  }
}

/**
 * Why GitHub would refuse `write` by the token `callerToken`, or `undefined` when it allows it. A ruleset is
 * checked first, then the workflows rule (never for deletions).
 */
export function refWriteRefusal(
  rules: RefWriteRules,
  git: GitRepository,
  write: RefWrite,
  callerToken: string | undefined,
): RefWriteRefusal | undefined {
  const ruleset = rulesetRefusal(rules.tagRulesets, write);
  if (ruleset) return ruleset;
  const rule = rules.workflowsRule;
  if (!rule || write.kind === 'delete' || write.target === undefined) return undefined;
  if (callerToken !== undefined && rule.tokensWithWorkflowsPermission.includes(callerToken)) return undefined;
  const file = changedWorkflowFile(git, write.target);
  if (file === undefined) return undefined;
  return {
    rule: 'workflows',
    message: `refusing to allow a GitHub App to create or update workflow \`${file}\` without \`workflows\` permission`,
    status: 403,
    headers: { [ACCEPTED_PERMISSIONS_HEADER]: 'contents=write,workflows=write' },
    graphqlType: 'FORBIDDEN',
  };
}

/** The REST error for a refusal. */
export function restRefusal(refusal: RefWriteRefusal): GitHubApiErrorWithHeaders {
  return new GitHubApiErrorWithHeaders(refusal.status, refusal.message, refusal.headers);
}

const RULESET_REASONS: Record<RefWriteKind, string> = {
  create: 'Cannot create ref due to creations being restricted.',
  update: 'Cannot update this protected ref.',
  delete: 'Cannot delete this protected ref.',
};

function rulesetRefusal(patterns: string[], write: RefWrite): RefWriteRefusal | undefined {
  if (!write.name.startsWith('refs/tags/')) return undefined;
  const tag = write.name.slice('refs/tags/'.length);
  if (!patterns.some((pattern) => matchesRefPattern(pattern, tag))) return undefined;
  return {
    rule: 'ruleset',
    message: `Repository rule violations found\n\n${RULESET_REASONS[write.kind]}\n\n`,
    status: 422,
    headers: {},
    graphqlType: 'UNPROCESSABLE',
  };
}

/** A ruleset's fnmatch-style pattern: `*` matches within one path segment, `**` across segments. */
export function matchesRefPattern(pattern: string, name: string): boolean {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
}

/**
 * The first workflow file that makes pointing a ref at `target` need the `workflows` permission: the
 * `.github/workflows` tree of the commit `target` leads to differs from that of every branch head (being equal
 * to any one branch head's is enough to pass). Named from the diff against the default branch head. `undefined`
 * when no permission is needed.
 */
function changedWorkflowFile(git: GitRepository, target: string): string | undefined {
  const commit = git.resolveCommit(target);
  if (commit === undefined) return undefined;
  const tree = workflowsTree(git, commit);
  const heads = git.listRefs().filter((ref) => ref.name.startsWith('refs/heads/'));
  if (heads.length === 0 || heads.some((head) => workflowsTree(git, head.sha) === tree)) return undefined;
  const base = git.resolveCommit(`refs/heads/${git.defaultBranch}`) ?? heads[0]?.sha ?? commit;
  const changed = git.tryRun(['diff', '--name-only', base, commit, '--', WORKFLOWS_DIRECTORY]) ?? '';
  return changed.split('\n').find(Boolean) ?? WORKFLOWS_DIRECTORY;
}

/** The object id of `.github/workflows` at `commit`, '' when it has none. */
function workflowsTree(git: GitRepository, commit: string): string {
  return git.resolveObject(commit, `${commit}:${WORKFLOWS_DIRECTORY}`) ?? '';
}
