/**
 * The version of a release: the `version` input when given, otherwise the previous version bumped by what the
 * commits since it say (Conventional Commits), or the configured initial version for the first release.
 * Versions are Semantic Versions without a leading `v`; tags add a configurable prefix (`v1.2.3`).
 */
import semver from 'semver';
import { InputError, UserError } from '../errors.js';
import { parseConventionalCommit } from './conventional-commit.js';

/** How far a release moves the version. */
export type VersionBump = 'major' | 'minor' | 'patch';

/** The values the `bump` input accepts, in the order error messages list them. */
export const VERSION_BUMPS: readonly VersionBump[] = ['major', 'minor', 'patch'];

/**
 * Reads the `bump` input. Empty means "from the commits" (`undefined`); otherwise `major`, `minor` or `patch`
 * (any case, surrounding spaces ignored). Anything else is an {@link InputError} listing the allowed values.
 */
export function parseBumpInput(value: string): VersionBump | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const lower = trimmed.toLowerCase();
  const bump = VERSION_BUMPS.find((candidate) => candidate === lower);
  if (!bump) {
    throw new InputError(
      'bump',
      `is '${trimmed}', which is not a version bump`,
      `Use one of ${VERSION_BUMPS.join(', ')}, or leave it empty to bump from the conventional commits.`,
    );
  }
  return bump;
}

/**
 * A Semantic Version written as `1.2.3` (a prerelease such as `1.2.3-rc.1` and build metadata such as `+build.5`
 * allowed), without the `v`; `undefined` when it is not one.
 */
function asVersion(value: string): string | undefined {
  return /^\d/.test(value) && semver.valid(value) !== null ? value : undefined;
}

/**
 * Reads the `version` input. Empty means "compute it" (`undefined`). Accepts `1.2.3` or `v1.2.3` (the `v` is
 * dropped), including prereleases (`2.0.0-rc.1`) and build metadata; anything else is an {@link InputError}.
 */
export function parseVersionInput(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const version = asVersion(trimmed.replace(/^v/i, ''));
  if (version === undefined) {
    throw new InputError(
      'version',
      `is '${trimmed}', which is not a semantic version`,
      'Give a version like 1.4.0, v1.4.0 or 2.0.0-rc.1, or leave it empty to compute it from the commits.',
    );
  }
  return version;
}

interface CommitCounts {
  breaking: number;
  features: number;
  fixes: number;
  others: number;
}

function countCommits(messages: string[]): CommitCounts {
  const counts: CommitCounts = { breaking: 0, features: 0, fixes: 0, others: 0 };
  for (const message of messages) {
    const commit = parseConventionalCommit(message);
    if (commit.breaking) counts.breaking++;
    else if (commit.type === 'feat') counts.features++;
    else if (commit.type === 'fix') counts.fixes++;
    else counts.others++;
  }
  return counts;
}

function bumpFor(counts: CommitCounts): VersionBump {
  if (counts.breaking > 0) return 'major';
  if (counts.features > 0) return 'minor';
  return 'patch';
}

/**
 * The bump the commit messages (whole messages, so footers count) call for: `major` when one is breaking
 * (`feat!:` or a `BREAKING CHANGE:` footer), `minor` when one is a `feat`, otherwise `patch` — a release always
 * bumps at least the patch version, even with no commit or only non-conventional ones.
 */
export function bumpForCommits(messages: string[]): VersionBump {
  return bumpFor(countCommits(messages));
}

/** What {@link nextVersion} needs. */
export interface NextVersionRequest {
  /** The version of the previous release (without prefix); `undefined` when there is none yet. */
  previous: string | undefined;
  /** The version of the first release (configuration `versioning.initial`). */
  initial: string;
  /** The messages of the commits since the previous release. */
  messages: string[];
  /** The `bump` input: overrides the bump computed from the commits. */
  bump?: VersionBump;
  /** The `version` input (already read by {@link parseVersionInput}): used as is when given. */
  explicit?: string;
}

/** The version chosen for a release, and why. */
export interface NextVersion {
  /** The new version, without prefix. */
  version: string;
  /** How it was chosen: a bump of the previous version, the initial version, or the `version` input. */
  bump: VersionBump | 'initial' | 'explicit';
  /** One line for people, e.g. `minor: 2 features since 1.0.1`. */
  reason: string;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function describeCounts(counts: CommitCounts, bump: VersionBump): string {
  const parts: string[] = [];
  if (counts.breaking > 0) parts.push(plural(counts.breaking, 'breaking change'));
  if (counts.features > 0) parts.push(plural(counts.features, 'feature'));
  if (bump === 'patch') {
    if (counts.fixes > 0) parts.push(plural(counts.fixes, 'fix', 'fixes'));
    if (counts.others > 0) parts.push(plural(counts.others, 'other change'));
  }
  return parts.length > 0 ? parts.join(', ') : 'no commits';
}

/**
 * Chooses the version of a release:
 * - `explicit` (the `version` input) wins; it must be greater than `previous`, else a {@link UserError} naming
 *   the `version` input and the previous version.
 * - Without a previous version: `initial`.
 * - Otherwise `previous` bumped by `bump` (the `bump` input) or, without it, by {@link bumpForCommits}.
 *
 * 0.x versions: while the major version is 0, a breaking change found in the commits bumps the minor version
 * (0.3.1 → 0.4.0), as Semantic Versioning leaves 0.x free to break and tools such as Cargo and npm's caret
 * ranges treat the minor version of 0.x as the breaking one. Leaving 0.x is a deliberate act: `bump: major`
 * (or an explicit `version`) makes 0.4.0 → 1.0.0.
 *
 * Bumping a prerelease follows semver: `1.0.0-rc.1` bumped by patch becomes `1.0.0`.
 */
export function nextVersion(request: NextVersionRequest): NextVersion {
  const previous = request.previous;
  if (previous !== undefined && asVersion(previous) === undefined) {
    throw new UserError(
      `The previous release's version '${previous}' is not a semantic version, so it cannot be bumped. ` +
        `Give the next version in the 'version' input.`,
    );
  }
  if (request.explicit !== undefined) return explicitVersion(request.explicit, previous);
  if (previous === undefined) {
    if (asVersion(request.initial) === undefined) {
      throw new UserError(
        `The initial version '${request.initial}' is not a semantic version. ` +
          `Set versioning.initial in the configuration to a version like 1.0.0, or give the 'version' input.`,
      );
    }
    return { version: request.initial, bump: 'initial', reason: `initial: first release ${request.initial}` };
  }

  const counts = countCommits(request.messages);
  let bump: VersionBump;
  let why: string;
  if (request.bump !== undefined) {
    bump = request.bump;
    why = `requested by the 'bump' input (${plural(request.messages.length, 'commit')} since ${previous})`;
  } else {
    bump = bumpFor(counts);
    why = `${describeCounts(counts, bump)} since ${previous}`;
    if (bump === 'major' && semver.major(previous) === 0) {
      bump = 'minor';
      why += ' (0.x: breaking changes bump the minor version)';
    }
  }
  const version = semver.inc(previous, bump);
  if (version === null) {
    throw new UserError(
      `The version '${previous}' cannot be bumped. Give the next version in the 'version' input.`,
    );
  }
  return { version, bump, reason: `${bump}: ${why}` };
}

function explicitVersion(explicit: string, previous: string | undefined): NextVersion {
  if (asVersion(explicit) === undefined) {
    throw new InputError(
      'version',
      `is '${explicit}', which is not a semantic version`,
      'Give a version like 1.4.0, v1.4.0 or 2.0.0-rc.1, or leave it empty to compute it from the commits.',
    );
  }
  if (previous !== undefined && !semver.gt(explicit, previous)) {
    throw new InputError(
      'version',
      `is ${explicit}, which is not greater than the previous version ${previous}`,
      `Give a version above ${previous}, or leave 'version' empty to bump ${previous} from the commits.`,
    );
  }
  return {
    version: explicit,
    bump: 'explicit',
    reason:
      previous === undefined
        ? `explicit: input 'version'`
        : `explicit: input 'version' (previous ${previous})`,
  };
}

/** The git tag name of a version: `prefix` + `version` (`v` + `1.2.3` → `v1.2.3`). */
export function versionTag(version: string, prefix: string): string {
  return `${prefix}${version}`;
}

/**
 * The version a tag names, or `undefined` when the tag does not start with `prefix` followed by a semantic
 * version (`v1.2.3` with prefix `v` → `1.2.3`; `env/production` → `undefined`). Accepts the tag name or its full
 * ref (`refs/tags/v1.2.3`).
 */
export function parseVersionTag(tag: string, prefix: string): string | undefined {
  const name = tag.startsWith('refs/tags/') ? tag.slice('refs/tags/'.length) : tag;
  if (!name.startsWith(prefix)) return undefined;
  return asVersion(name.slice(prefix.length));
}
