import { describe, expect, it } from '@jest/globals';
import { parseConventionalCommit } from '../src/release/conventional-commit.js';

describe('parseConventionalCommit', () => {
  it('reads type, scope, breaking marker and description', () => {
    expect(parseConventionalCommit('feat(api)!: drop the v1 endpoints')).toEqual({
      type: 'feat',
      scope: 'api',
      breaking: true,
      description: 'drop the v1 endpoints',
    });
    expect(parseConventionalCommit('fix: handle empty carts')).toEqual({
      type: 'fix',
      scope: undefined,
      breaking: false,
      description: 'handle empty carts',
    });
    expect(parseConventionalCommit('refactor!: rename everything')).toMatchObject({
      type: 'refactor',
      breaking: true,
    });
  });

  it('lower-cases the type and trims type, scope and description', () => {
    expect(parseConventionalCommit('  FEAT( Checkout ):   one-click buy  \n')).toEqual({
      type: 'feat',
      scope: 'Checkout',
      breaking: false,
      description: 'one-click buy',
    });
    expect(parseConventionalCommit('Fix(): empty scope')).toEqual({
      type: 'fix',
      scope: undefined,
      breaking: false,
      description: 'empty scope',
    });
  });

  it('marks a commit breaking from a BREAKING CHANGE or BREAKING-CHANGE footer', () => {
    expect(
      parseConventionalCommit('feat: new config\n\nLonger text.\n\nBREAKING CHANGE: the old keys are gone'),
    ).toMatchObject({ type: 'feat', breaking: true, description: 'new config' });
    expect(parseConventionalCommit('fix: x\r\n\r\nBREAKING-CHANGE: y')).toMatchObject({ breaking: true });
    expect(parseConventionalCommit('chore: tidy\n\nRefs: #12\nBREAKING CHANGE: moved')).toMatchObject({
      breaking: true,
    });
    // A footer on a non-conventional subject still states a breaking change.
    expect(parseConventionalCommit('Update dependencies\n\nBREAKING CHANGE: Node 18 dropped')).toEqual({
      type: undefined,
      scope: undefined,
      breaking: true,
      description: 'Update dependencies',
    });
  });

  it('does not take a mention of breaking changes for a footer', () => {
    expect(parseConventionalCommit('feat: no BREAKING CHANGE: here')).toMatchObject({ breaking: false });
    expect(parseConventionalCommit('feat: x\n\nThis is not a BREAKING CHANGE: really')).toMatchObject({
      breaking: false,
    });
    expect(parseConventionalCommit('feat: x\n\nbreaking change: lower case is not a footer')).toMatchObject({
      breaking: false,
    });
    expect(parseConventionalCommit('feat: x\n\nBREAKING CHANGE:')).toMatchObject({ breaking: false });
  });

  it('treats non-conventional subjects as untyped, with the subject as description', () => {
    for (const subject of [
      'Merge pull request #12 from octo/feature',
      'Revert "feat: add cart"',
      'https://example.com: fix link',
      '12:30 standup notes',
      'feat:missing space',
      'feat(api: unbalanced',
      'feat (api): space before scope',
      'feat: ',
      'WIP',
      '',
    ]) {
      expect(parseConventionalCommit(`${subject}\n\nbody`)).toEqual({
        type: undefined,
        scope: undefined,
        breaking: false,
        description: subject.trim(),
      });
    }
  });

  it('reads only the first line as the subject', () => {
    expect(parseConventionalCommit('Plain subject\nfeat: on the second line')).toEqual({
      type: undefined,
      scope: undefined,
      breaking: false,
      description: 'Plain subject',
    });
  });
});
