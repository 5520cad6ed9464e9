import { describe, expect, it } from '@jest/globals';
import { InputError, UserError } from '../src/errors.js';
import {
  bumpForCommits,
  nextVersion,
  parseBumpInput,
  parseVersionInput,
  parseVersionTag,
  versionTag,
} from '../src/release/versioning.js';

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseBumpInput', () => {
  it('reads the three bumps and empty', () => {
    expect(parseBumpInput('')).toBeUndefined();
    expect(parseBumpInput('  ')).toBeUndefined();
    expect(parseBumpInput('major')).toBe('major');
    expect(parseBumpInput(' Minor ')).toBe('minor');
    expect(parseBumpInput('PATCH')).toBe('patch');
  });

  it('rejects anything else naming the input and the allowed values', () => {
    const error = thrown(() => parseBumpInput('premajor'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('bump');
    expect((error as Error).message).toBe(
      "Input 'bump' is 'premajor', which is not a version bump. " +
        'Use one of major, minor, patch, or leave it empty to bump from the conventional commits.',
    );
  });
});

describe('parseVersionInput', () => {
  it('accepts versions with or without v, prereleases and build metadata', () => {
    expect(parseVersionInput('')).toBeUndefined();
    expect(parseVersionInput('1.2.3')).toBe('1.2.3');
    expect(parseVersionInput(' v1.2.3 ')).toBe('1.2.3');
    expect(parseVersionInput('V2.0.0')).toBe('2.0.0');
    expect(parseVersionInput('2.0.0-rc.1')).toBe('2.0.0-rc.1');
    expect(parseVersionInput('v1.0.0-beta.2+build.7')).toBe('1.0.0-beta.2+build.7');
  });

  it.each(['1.2', '1', 'vv1.2.3', '=1.2.3', '01.2.3', '1.2.3.4', 'latest', 'v', '1.2.3 4'])(
    'rejects %p naming the input',
    (value) => {
      const error = thrown(() => parseVersionInput(value));
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('version');
      expect((error as Error).message).toContain(`Input 'version' is '${value.trim()}'`);
      expect((error as Error).message).toContain('like 1.4.0');
    },
  );
});

describe('bumpForCommits', () => {
  it('is major for a breaking change, minor for a feature, patch otherwise', () => {
    expect(bumpForCommits(['fix: a', 'feat: b', 'chore: c'])).toBe('minor');
    expect(bumpForCommits(['fix: a', 'feat(x)!: b'])).toBe('major');
    expect(bumpForCommits(['docs: a', 'fix: b\n\nBREAKING CHANGE: c'])).toBe('major');
    expect(bumpForCommits(['fix: a', 'Plain commit'])).toBe('patch');
    expect(bumpForCommits(['FEAT: shouting'])).toBe('minor');
  });

  it('bumps at least the patch version with no or only unconventional commits', () => {
    expect(bumpForCommits([])).toBe('patch');
    expect(bumpForCommits(['Update README'])).toBe('patch');
  });
});

describe('nextVersion', () => {
  it('follows a release sequence: initial, fix, feat, breaking, and a bump override', () => {
    const first = nextVersion({ previous: undefined, initial: '1.0.0', messages: ['feat: first'] });
    expect(first).toEqual({ version: '1.0.0', bump: 'initial', reason: 'initial: first release 1.0.0' });

    const fix = nextVersion({ previous: first.version, initial: '1.0.0', messages: ['fix: crash on start'] });
    expect(fix).toEqual({ version: '1.0.1', bump: 'patch', reason: 'patch: 1 fix since 1.0.0' });

    const feat = nextVersion({
      previous: fix.version,
      initial: '1.0.0',
      messages: ['feat: search', 'fix: typo', 'feat(cart): coupons', 'docs: readme'],
    });
    expect(feat).toEqual({ version: '1.1.0', bump: 'minor', reason: 'minor: 2 features since 1.0.1' });

    const major = nextVersion({
      previous: feat.version,
      initial: '1.0.0',
      messages: ['feat!: new API', 'feat: x'],
    });
    expect(major).toEqual({
      version: '2.0.0',
      bump: 'major',
      reason: 'major: 1 breaking change, 1 feature since 1.1.0',
    });

    const overridden = nextVersion({
      previous: major.version,
      initial: '1.0.0',
      messages: ['fix: a', 'fix: b'],
      bump: 'major',
    });
    expect(overridden).toEqual({
      version: '3.0.0',
      bump: 'major',
      reason: "major: requested by the 'bump' input (2 commits since 2.0.0)",
    });
    // The bump input also overrides downwards.
    expect(
      nextVersion({ previous: '3.0.0', initial: '1.0.0', messages: ['feat!: breaking'], bump: 'patch' })
        .version,
    ).toBe('3.0.1');
  });

  it('describes patch releases of other changes and of no commits', () => {
    expect(
      nextVersion({ previous: '1.0.0', initial: '1.0.0', messages: ['fix: a', 'chore: b', 'Plain'] }),
    ).toEqual({ version: '1.0.1', bump: 'patch', reason: 'patch: 1 fix, 2 other changes since 1.0.0' });
    expect(nextVersion({ previous: '1.0.0', initial: '1.0.0', messages: [] }).reason).toBe(
      'patch: no commits since 1.0.0',
    );
  });

  it('bumps the minor version for a breaking change while in 0.x, unless bump: major asks to leave 0.x', () => {
    expect(nextVersion({ previous: '0.3.1', initial: '0.1.0', messages: ['feat!: new API'] })).toEqual({
      version: '0.4.0',
      bump: 'minor',
      reason: 'minor: 1 breaking change since 0.3.1 (0.x: breaking changes bump the minor version)',
    });
    expect(nextVersion({ previous: '0.3.1', initial: '0.1.0', messages: ['feat: x'] }).version).toBe('0.4.0');
    expect(nextVersion({ previous: '0.3.1', initial: '0.1.0', messages: ['fix: x'] }).version).toBe('0.3.2');
    expect(
      nextVersion({ previous: '0.4.0', initial: '0.1.0', messages: ['feat!: x'], bump: 'major' }).version,
    ).toBe('1.0.0');
  });

  it('finishes a prerelease as semver does', () => {
    expect(nextVersion({ previous: '2.0.0-rc.1', initial: '1.0.0', messages: ['fix: a'] }).version).toBe(
      '2.0.0',
    );
  });

  it('uses an explicit version greater than the previous one', () => {
    expect(
      nextVersion({ previous: '1.1.0', initial: '1.0.0', messages: ['fix: a'], explicit: '1.5.0' }),
    ).toEqual({
      version: '1.5.0',
      bump: 'explicit',
      reason: "explicit: input 'version' (previous 1.1.0)",
    });
    expect(nextVersion({ previous: undefined, initial: '1.0.0', messages: [], explicit: '0.9.0' })).toEqual({
      version: '0.9.0',
      bump: 'explicit',
      reason: "explicit: input 'version'",
    });
    expect(
      nextVersion({ previous: '2.0.0-rc.1', initial: '1.0.0', messages: [], explicit: '2.0.0' }).version,
    ).toBe('2.0.0');
  });

  it.each(['1.1.0', '1.0.9', '1.1.0-rc.1', '1.1.0+build'])(
    'refuses an explicit version %p not above the previous 1.1.0',
    (explicit) => {
      const error = thrown(() =>
        nextVersion({ previous: '1.1.0', initial: '1.0.0', messages: [], explicit }),
      );
      expect(error).toBeInstanceOf(UserError);
      expect((error as InputError).input).toBe('version');
      expect((error as Error).message).toBe(
        `Input 'version' is ${explicit}, which is not greater than the previous version 1.1.0. ` +
          "Give a version above 1.1.0, or leave 'version' empty to bump 1.1.0 from the commits.",
      );
    },
  );

  it('refuses a previous or initial version that is not semver', () => {
    expect(() => nextVersion({ previous: 'banana', initial: '1.0.0', messages: [] })).toThrow(
      /previous release's version 'banana' is not a semantic version.*'version' input/,
    );
    expect(() => nextVersion({ previous: undefined, initial: '1.0', messages: [] })).toThrow(
      /initial version '1.0'.*versioning.initial/,
    );
  });
});

describe('version tags', () => {
  it('prefixes the version', () => {
    expect(versionTag('1.2.3', 'v')).toBe('v1.2.3');
    expect(versionTag('1.2.3', '')).toBe('1.2.3');
    expect(versionTag('1.2.3-rc.1', 'api/v')).toBe('api/v1.2.3-rc.1');
  });

  it('reads the version back from a tag with the prefix only', () => {
    expect(parseVersionTag('v1.2.3', 'v')).toBe('1.2.3');
    expect(parseVersionTag('refs/tags/v1.2.3', 'v')).toBe('1.2.3');
    expect(parseVersionTag('1.2.3', '')).toBe('1.2.3');
    expect(parseVersionTag('api/v2.0.0-rc.1', 'api/v')).toBe('2.0.0-rc.1');
    expect(parseVersionTag(versionTag('4.5.6', 'release-'), 'release-')).toBe('4.5.6');
    expect(parseVersionTag('v1.2.3', '')).toBeUndefined();
    expect(parseVersionTag('env/production', 'v')).toBeUndefined();
    expect(parseVersionTag('v1.2', 'v')).toBeUndefined();
    expect(parseVersionTag('vv1.2.3', 'v')).toBeUndefined();
    expect(parseVersionTag('web/v1.2.3', 'api/v')).toBeUndefined();
  });
});
