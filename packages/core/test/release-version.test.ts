import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import type { ListedCommits } from '../src/state/commit-range.js';
import {
  choosesNewVersion,
  releaseVersion,
  type VersionAsked,
  type VersionSituation,
} from '../src/rules/release-version.js';
import { commitInfo } from './support/fixtures.js';

// Versions start at preproduction (the second environment), from 1.0.0.
const config = parsePromotionConfig(
  'environments: [integration, preproduction, production]\nversioning:\n  initial: 1.0.0\n',
  'test',
);
const SHA = 'c'.repeat(40);

function commits(...messages: string[]): ListedCommits {
  const listed = messages.map((message, index) => commitInfo(`${index}`.padStart(40, 'd'), message));
  return { commits: listed, total: listed.length, truncated: false };
}

const LAST = { sha: 'e'.repeat(40), version: '1.4.2' };

describe('releaseVersion: none before versioning starts, carried with the commit, else the next one', () => {
  it.each<[string, VersionAsked, Partial<VersionSituation>, unknown]>([
    [
      'not versioned yet: no version',
      { environment: 'integration' },
      {},
      { chosen: undefined, versionIsNew: false },
    ],
    [
      "not versioned yet, 'bump' given: refused",
      { environment: 'integration', bump: 'minor' },
      {},
      {
        refused:
          "'integration' is not versioned: versions start at 'preproduction' (versioning.starts-at). " +
          "Remove 'version'/'bump', or prepare the release for 'preproduction'.",
      },
    ],
    [
      'the commit carries a version from below: kept',
      { environment: 'production' },
      { carried: '1.4.2' },
      {
        chosen: { version: '1.4.2', bump: 'explicit', reason: 'carried with commit ccccccc' },
        versionIsNew: false,
      },
    ],
    [
      'no version handed out yet: the initial one',
      { environment: 'preproduction' },
      { since: commits('feat: first') },
      {
        chosen: { version: '1.0.0', bump: 'initial', reason: 'initial: first release 1.0.0' },
        versionIsNew: true,
      },
    ],
    [
      'a feature since the last version: minor',
      { environment: 'preproduction' },
      { last: LAST, since: commits('feat: search', 'fix: typo') },
      { chosen: { version: '1.5.0', bump: 'minor' }, versionIsNew: true },
    ],
    [
      "'version' given: it wins over the carried one",
      { environment: 'production', version: '2.0.0' },
      { carried: '1.4.2', last: LAST, since: commits('fix: typo') },
      { chosen: { version: '2.0.0', bump: 'explicit' }, versionIsNew: true },
    ],
  ])('%s', (_situation, asked, situation, expected) => {
    const choice = releaseVersion(asked, {
      config,
      sha: SHA,
      carried: undefined,
      last: undefined,
      since: undefined,
      ...situation,
    });
    expect(choice).toMatchObject(expected as object);
  });
});

describe('choosesNewVersion: whether the commits since the last version are read', () => {
  it.each<[string, VersionAsked, string | null | undefined, boolean]>([
    ['before versioning starts', { environment: 'integration', bump: 'major' }, undefined, false],
    ['versioned, nothing carried', { environment: 'preproduction' }, undefined, true],
    ['versioned, a version carried', { environment: 'production' }, '1.4.2', false],
    [
      'versioned, a version carried but a bump asked',
      { environment: 'production', bump: 'patch' },
      '1.4.2',
      true,
    ],
    ['versioned, the carried version is null (none recorded)', { environment: 'production' }, null, true],
  ])('%s', (_situation, asked, carried, expected) => {
    expect(choosesNewVersion(config, asked, carried)).toBe(expected);
  });
});
