/**
 * `Ref.compare(headRef)` and `Comparison`: the ref as base, `headRef` as head, with the counts and status of
 * `GET /repos/{o}/{r}/compare/{base}...{head}` and the commits of `base..head`, oldest first.
 */
import { paginate } from './graphql-connections.js';
import type { GraphqlArguments, GraphqlContext, Resolver } from './graphql-context.js';
import { gitObject, type GitObjectSource } from './graphql-git-objects.js';

/** The value of a `Comparison` field. */
export interface ComparisonSource {
  base: string;
  head: string;
  aheadBy: number;
  behindBy: number;
}

/**
 * Compares the commit `baseSha` leads to (annotated tags followed) with `headRef` (a branch, tag, full ref name
 * or sha). `null` when `headRef` names no commit or the two share no history (REST answers 404 then).
 */
export function compareWith(
  { state }: GraphqlContext,
  baseSha: string,
  args: GraphqlArguments,
): ComparisonSource | null {
  const { git } = state;
  const base = git.resolveCommit(baseSha);
  const head = git.resolveCommit(String(args.headRef));
  if (!base || !head || !git.mergeBase(base, head)) return null;
  return {
    base,
    head,
    aheadBy: git.countCommits([`${base}..${head}`]),
    behindBy: git.countCommits([`${head}..${base}`]),
  };
}

/** `Comparison`. */
export const comparisonFields: Record<string, Resolver<ComparisonSource>> = {
  aheadBy: (source) => source.aheadBy,
  behindBy: (source) => source.behindBy,
  status: ({ aheadBy, behindBy }) =>
    aheadBy === 0 && behindBy === 0
      ? 'IDENTICAL'
      : behindBy === 0
        ? 'AHEAD'
        : aheadBy === 0
          ? 'BEHIND'
          : 'DIVERGED',
  baseTarget: (source) => gitObject(source.base, 'commit'),
  headTarget: (source) => gitObject(source.head, 'commit'),
  commits: (source, args, context) => {
    const commits = context.state.git.log([`${source.base}..${source.head}`], { reverse: true });
    const nodes: GitObjectSource[] = commits.map((commit) => {
      context.commits.set(commit.sha, commit);
      return { __typename: 'Commit', oid: commit.sha };
    });
    return paginate(nodes, args, 'commits');
  },
};
