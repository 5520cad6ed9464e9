import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { runActionBundle, type ActionResult } from './harness/run-action.js';
import type { ActionName } from './harness/action-metadata.js';

/**
 * A release of 800 commits with long subjects: its notes are far over the 125,000 characters GitHub accepts in
 * a Release body. The bundles cut the Release body at a commit line and keep every commit in the output.
 */
const ENVIRONMENTS = 'integration, preproduction, production';
const COMMITS = 800;
const LIMIT = 125_000;
const MORE = /\n… and (\d+) more commits \(the full changelog below lists them all\)\n/;

let emulator: Emulator;
let base: string;
let head: string;
let runId = 12_000;

const subject = (index: number) =>
  `feat(catalogue): change number ${index} ${'makes the product pages faster to load '.repeat(4).trim()}`;

function step(action: ActionName, inputs: Record<string, string>): Promise<ActionResult> {
  return runActionBundle(action, {
    apiUrl: emulator.url,
    repository: emulator.fullName,
    sha: head,
    runId,
    inputs: { environments: ENVIRONMENTS, ...inputs },
  });
}

function ok(result: ActionResult): ActionResult {
  if (result.exitCode !== 0) throw new Error(`step failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

beforeAll(async () => {
  emulator = await startEmulator();
  base = emulator.git.head();
  head = emulator.git.commits(COMMITS, { message: (index) => subject(index + 1) }).at(-1) as string;
  // preproduction, the first versioned environment, runs `base`; integration accepted `head`.
  emulator.git.run(['update-ref', 'refs/tags/env/preproduction', base]);
  emulator.git.run(['update-ref', 'refs/tags/env/integration', head]);
});

afterAll(async () => {
  expect(emulator.problems).toEqual([]);
  expect(emulator.requests.filter((request) => request.route === 'UNMATCHED')).toEqual([]);
  await emulator.close();
});

describe('a release too long for one GitHub Release body', () => {
  let prepared: ActionResult;

  it('prepare-release succeeds: the Release body is cut at a commit line, the output keeps every commit', async () => {
    runId += 1;
    prepared = ok(await step('prepare-release', { environment: 'preproduction' }));
    expect(prepared.stderr).toBe('');
    const release = emulator.store.releases.find((candidate) => candidate.tagName === prepared.outputs.tag);
    const body = release?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    expect(body.length).toBeGreaterThan(LIMIT - 1_000);
    const listed = body.split('\n').filter((line) => line.startsWith('- '));
    expect(Number(MORE.exec(body)?.[1])).toBe(COMMITS - listed.length);
    expect(body).toMatch(
      new RegExp(
        `\\nFull changelog: \\[[^\\]]+\\]\\(https://github\\.com/octo-org/shop/compare/${base}\\.\\.\\.${head}\\)$`,
      ),
    );
    // Whole commit lines only: each ends with its commit link and author.
    for (const line of listed) expect(line).toMatch(/\(\[[0-9a-f]{7}\]\([^)]+\)\)( by .+)?$/);

    const notes = prepared.outputs['release-notes'] ?? '';
    for (let index = 1; index <= COMMITS; index += 1) expect(notes).toContain(`change number ${index} makes`);
    expect(notes).not.toMatch(MORE);
    // The summary shows the notes as the Release holds them.
    expect(prepared.summary).toMatch(MORE);
    expect(prepared.summary.length).toBeLessThan(LIMIT + 10_000);
  });

  it('a re-run of the same run finds the Release and leaves it as it is', async () => {
    const before = emulator.store.releases.map((release) => release.body);
    const again = ok(await step('prepare-release', { environment: 'preproduction' }));
    expect(again.outputs.tag).toBe(prepared.outputs.tag);
    expect(emulator.store.releases.map((release) => release.body)).toEqual(before);
  });

  it('accept adds its promotion line within the limit, cutting notes lines, not the promotion line', async () => {
    ok(await step('deploy-env', { environment: 'preproduction', status: 'success' }));
    const release = emulator.store.releases.find((candidate) => candidate.tagName === prepared.outputs.tag);
    if (!release?.body) throw new Error('no Release');
    // Someone filled the body to exactly the limit on GitHub: the promotion line cannot be added without a cut.
    const filler = 'x'.repeat(LIMIT - release.body.length - 2);
    release.body = release.body.replace('\n\nFull changelog', `\n\n${filler}\n\nFull changelog`);
    expect(release.body).toHaveLength(LIMIT);
    const leftOut = Number(MORE.exec(release.body)?.[1]);

    ok(await step('accept', { environment: 'preproduction' }));
    const body = release.body ?? '';
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    expect(body).toMatch(/\n### Promotion\n- Accepted in \*\*preproduction\*\* by .+\n$/);
    expect(body).toContain(`\n\n${filler}\n\nFull changelog`);
    const listed = body.split('\n').filter((line) => line.startsWith('- ') && !line.includes('Accepted in'));
    expect(Number(MORE.exec(body)?.[1])).toBe(COMMITS - listed.length);
    expect(Number(MORE.exec(body)?.[1])).toBeGreaterThan(leftOut);
  });
});
