import type { DeploymentRecord } from '../state/deployments.js';
import type { BrokenRule } from './release-overrides.js';

/** What the hold looks at: the candidate commit's newest deployment in the environment. */
export interface HoldSituation {
  environment: string;
  /** The candidate commit. */
  sha: string;
  /** The status that holds the candidate's newest deployment here (Rolled back, Rollout failed or halted), if any. */
  rolledBack: { description: string } | undefined;
  /** Whether that deployment is this run's own (a re-run completing its earlier attempt). */
  resumed: boolean;
}

/**
 * The rollback hold (pure): a commit rolled back in the environment is not released there again without
 * `force` and a `reason`. A re-run of the run that prepared it is not held: it completes its own work.
 * Returns the broken rule; undefined when the commit is not held.
 */
export function rollbackHold(situation: HoldSituation): BrokenRule | undefined {
  const { environment, sha, rolledBack, resumed } = situation;
  if (!rolledBack || resumed) return undefined;
  const short = sha.slice(0, 7);
  // A rollout that failed or halted holds the release as a rollback does, in its own words.
  const what = /^Rollout (failed|halted)/.test(rolledBack.description)
    ? `failed its rollout in`
    : 'was rolled back in';
  return {
    kind: 'gate',
    description: `commit ${short} ${what} ${environment}`,
    refusal:
      `Commit ${short} ${what} '${environment}' (${rolledBack.description}). ` +
      `Prepare a newer commit, or set 'force: true' with a 'reason' to release it there again.`,
  };
}

/**
 * This run's own earlier release deployment (a re-run, or a retried attempt): the candidate's newest
 * deployment here when the same run prepared it; undefined otherwise.
 */
export function ownEarlierRelease(
  earlier: DeploymentRecord | undefined,
  runId: number,
): DeploymentRecord | undefined {
  return earlier?.release?.kind === 'release' && earlier.release.run.id === runId ? earlier : undefined;
}
