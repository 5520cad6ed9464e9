/**
 * The semantics of GitHub's GraphQL `updateRefs` mutation: a list of ref updates applied all or none, each
 * optionally a compare-and-swap (`beforeOid`), deletions as an all-zero `afterOid`, non-fast-forward moves only
 * with `force`. Everything is checked first, then written in one git transaction that re-checks the old values.
 */
import { GraphqlFieldError } from './graphql-errors.js';
import { ZERO_SHA, type GitRef, type GitRepository, type RefTransactionStep } from './git-repository.js';
import { refWriteRefusal, type RefWrite } from './ref-write-rules.js';
import type { EmulatorState } from './route-handler.js';

/** One `RefUpdate` input object, as graphql-js coerced it. */
export interface RefUpdateInput {
  /** Fully qualified ref name, `refs/tags/env/production`. */
  name: string;
  /** The new value; all zeros deletes the ref. */
  afterOid: string;
  /** The value the ref must have before the update; all zeros = it must not exist; absent = no check. */
  beforeOid?: string | null;
  /** Allow a move that is not a fast-forward. */
  force?: boolean | null;
}

const NOTHING_APPLIED = 'No ref was updated.';

/**
 * Checks every update against the repository and applies them all in one transaction, or throws a
 * {@link GraphqlFieldError} of type `UNPROCESSABLE` naming the first update that cannot be applied (then no ref
 * changes). An update GitHub's rules refuse for the caller (`ref-write-rules.ts`: the `workflows` permission,
 * tag rulesets) throws GitHub's message with its type (`FORBIDDEN`, `UNPROCESSABLE`), again changing no ref.
 * Synchronous: nothing else can run between the checks and the write.
 */
export function applyRefUpdates(state: EmulatorState, updates: RefUpdateInput[]): void {
  const { git } = state;
  const repositoryName = state.repository.fullName;
  const current = new Map<string, GitRef>(git.listRefs().map((ref) => [ref.name, ref]));
  const seen = new Set<string>();
  const steps: RefTransactionStep[] = [];
  for (const update of updates) {
    const name = checkRefName(git, update.name);
    if (seen.has(name)) refuse(`Reference ${name} appears more than once in refUpdates.`);
    seen.add(name);
    const after = checkOid(update.afterOid, 'afterOid', name);
    const before =
      update.beforeOid === undefined || update.beforeOid === null
        ? undefined
        : checkOid(update.beforeOid, 'beforeOid', name);
    const existing = current.get(name)?.sha;
    if (before !== undefined) checkBefore(name, before, existing);
    if (after === ZERO_SHA) {
      if (existing === undefined) refuse(`Reference ${name} does not exist, so it cannot be deleted.`);
      checkRules(state, { name, kind: 'delete' });
      steps.push({ name, newSha: undefined, oldSha: existing });
      continue;
    }
    checkTarget(git, repositoryName, name, after);
    if (existing !== undefined && update.force !== true && !isFastForward(git, existing, after)) {
      refuse(
        `Reference ${name} cannot move from ${existing} to ${after}: not a fast-forward. ` +
          'Set force: true in its RefUpdate to move it anyway.',
      );
    }
    checkRules(state, { name, kind: existing === undefined ? 'create' : 'update', target: after });
    steps.push({ name, newSha: after, oldSha: existing });
  }
  if (steps.length === 0) return;
  const failure = git.updateRefsAtomically(steps);
  if (failure !== undefined) refuse(`git refused the ref transaction: ${failure}.`);
}

function checkRefName(git: GitRepository, name: string): string {
  if (typeof name !== 'string' || !name.startsWith('refs/') || !git.isValidRefName(name)) {
    refuse(
      `'${String(name)}' is not a valid fully qualified ref name: use refs/heads/<branch> or refs/tags/<tag> ` +
        'in the name of a RefUpdate.',
    );
  }
  return name;
}

function checkOid(value: unknown, field: 'afterOid' | 'beforeOid', name: string): string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{40}$/.test(value)) {
    refuse(`${field} of ${name} must be a full 40-character hexadecimal object id, got '${String(value)}'.`);
  }
  return value.toLowerCase();
}

function checkBefore(name: string, before: string, existing: string | undefined): void {
  const mustBeAbsent = before === ZERO_SHA;
  if (mustBeAbsent ? existing === undefined : before === existing) return;
  if (mustBeAbsent) {
    refuse(`Reference ${name} already exists at ${existing}, but beforeOid ${ZERO_SHA} requires it not to.`);
  }
  if (existing === undefined) {
    refuse(`Reference ${name} was not at expected object ${before} (beforeOid); it does not exist.`);
  }
  refuse(`Reference ${name} was not at expected object ${before} (beforeOid); it is at ${existing}.`);
}

function checkTarget(git: GitRepository, repositoryName: string, name: string, after: string): void {
  const type = git.objectType(after);
  if (type === undefined)
    refuse(`Object ${after} (afterOid of ${name}) does not exist in ${repositoryName}.`);
  if (name.startsWith('refs/heads/') && type !== 'commit') {
    refuse(`Reference ${name} is a branch and can only point at a commit, but ${after} is a ${type}.`);
  }
}

/** Whether moving a ref from `from` to `to` keeps history: both lead to commits and the old one is an ancestor. */
function isFastForward(git: GitRepository, from: string, to: string): boolean {
  if (from === to) return true;
  const fromCommit = git.resolveCommit(from);
  const toCommit = git.resolveCommit(to);
  return fromCommit !== undefined && toCommit !== undefined && git.isAncestor(fromCommit, toCommit);
}

/** Throws GitHub's own error when its rules refuse the write to the caller. */
function checkRules(state: EmulatorState, write: RefWrite): void {
  const refusal = refWriteRefusal(state.refWriteRules, state.git, write, state.callerToken);
  if (refusal) throw new GraphqlFieldError(refusal.graphqlType, refusal.message);
}

function refuse(message: string): never {
  throw new GraphqlFieldError('UNPROCESSABLE', `${message} ${NOTHING_APPLIED}`);
}
