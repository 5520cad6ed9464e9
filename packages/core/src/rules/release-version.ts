import type { PromotionConfig } from '../chain/promotion-config.js';
import { nextVersion, type NextVersion, type VersionBump } from '../release/versioning.js';
import type { ListedCommits } from '../state/commit-range.js';
import type { ReleaseRef } from '../state/deployment-payload.js';
import type { DeploymentWithProgress } from '../state/release-lookup.js';
import { refuse, type Refusal } from './decision.js';

/** What the version depends on in the request: the environment, and the `version` or `bump` input. */
export interface VersionAsked {
  environment: string;
  version?: string | undefined;
  bump?: VersionBump | undefined;
}

/** The version of a release, and whether this run hands it out (its tag and Release are then created). */
export interface VersionChoice {
  /** undefined before the versioned environments. */
  chosen: NextVersion | undefined;
  versionIsNew: boolean;
}

/** What the version choice sees besides the request. */
export interface VersionSituation {
  config: Pick<PromotionConfig, 'chain' | 'versioning'>;
  /** The candidate commit. */
  sha: string;
  /** The version the commit carries: from this run's earlier attempt, from below, or from here. */
  carried: string | null | undefined;
  /** The last version handed out where versions start. */
  last: ReleaseRef | undefined;
  /** The commits since `last` (every commit when there is none); read only when a new version is chosen. */
  since: ListedCommits | undefined;
}

/** Whether versions are given in `environment`: from `versioning.starts-at` on. */
export function isVersioned(
  config: Pick<PromotionConfig, 'chain' | 'versioning'>,
  environment: string,
): boolean {
  const { chain, versioning } = config;
  return chain.indexOf(environment) >= chain.indexOf(versioning.startsAt);
}

/**
 * Whether this release gets a new version, so the commits since the last version handed out are needed:
 * in a versioned environment, unless the commit carries one and neither `version` nor `bump` is given.
 */
export function choosesNewVersion(
  config: Pick<PromotionConfig, 'chain' | 'versioning'>,
  asked: VersionAsked,
  carried: string | null | undefined,
): boolean {
  if (!isVersioned(config, asked.environment)) return false;
  return !carried || Boolean(asked.version) || Boolean(asked.bump);
}

/**
 * The version (pure): none before the versioned environments (where `version` or `bump` is refused); the
 * one the commit carries; else the next one after the last version handed out, from the commits since (or
 * `version`, or `bump`).
 */
export function releaseVersion(asked: VersionAsked, situation: VersionSituation): VersionChoice | Refusal {
  const { config, sha, carried, last, since } = situation;
  const { startsAt } = config.versioning;
  if (!isVersioned(config, asked.environment)) {
    if (!asked.version && !asked.bump) return { chosen: undefined, versionIsNew: false };
    return refuse(
      `'${asked.environment}' is not versioned: versions start at '${startsAt}' (versioning.starts-at). ` +
        `Remove 'version'/'bump', or prepare the release for '${startsAt}'.`,
    );
  }
  if (!choosesNewVersion(config, asked, carried)) {
    const reason = `carried with commit ${sha.slice(0, 7)}`;
    return { chosen: { version: carried as string, bump: 'explicit', reason }, versionIsNew: false };
  }
  if (!since) throw new Error('The commits since the last version were not read before choosing a version.');
  const chosen = nextVersion({
    previous: last?.version ?? undefined,
    initial: config.versioning.initial,
    messages: since.commits.map((change) => change.message),
    ...(asked.bump ? { bump: asked.bump } : {}),
    ...(asked.version ? { explicit: asked.version } : {}),
  });
  return { chosen, versionIsNew: true };
}

/** The newest version handed out: the version of the newest versioned deployment among `recent`. */
export function lastVersionHandedOut(recent: readonly DeploymentWithProgress[]): ReleaseRef | undefined {
  const versioned = recent.find(({ deployment }) => deployment.release?.version);
  const release = versioned?.deployment.release;
  return release ? { sha: release.sha, version: release.version } : undefined;
}
