/**
 * Tag writes GitHub refuses are told apart from races and rate limits: `swapTag` (GraphQL `updateRefs`) and
 * `createVersionTag` (REST), on the emulator with its `workflowsRule` and `tagRulesets` options and faults.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { RefWriteRefusedError, TransientError, UserError } from '../src/errors.js';
import { createGitHubClient } from '../src/github/client.js';
import { swapTag } from '../src/state/environment-tag.js';
import { createVersionTag } from '../src/state/version-tag.js';

const GRANTED = 'ghs_appTokenWithWorkflows';
const TAGGER = { name: 'release-bot', email: 'bot@example.com' };
let emulator: Emulator | undefined;

afterEach(async () => {
  if (!emulator) return;
  expect(emulator.problems).toEqual([]);
  await emulator.close();
  emulator = undefined;
});

/** An emulator whose main changed its workflow after `old`; the tag env/production is at `head`. */
async function repositoryWithWorkflowChange(options: Parameters<typeof startEmulator>[0] = {}) {
  emulator = await startEmulator(options);
  const old = emulator.git.commit('ci: add', { files: { '.github/workflows/ci.yml': 'on: push\n' } });
  const head = emulator.git.commit('ci: change', { files: { '.github/workflows/ci.yml': 'on: [push]\n' } });
  emulator.git.run(['update-ref', 'refs/tags/env/production', head]);
  const repositoryId = (await client().rest.repos.get(repository())).data.node_id;
  return { emulator, old, head, known: { repositoryId, current: head } };
}

function client(token = 'ghs_plainToken') {
  return createGitHubClient({
    token,
    baseUrl: (emulator as Emulator).url,
    retries: 0,
    rateLimitRetries: 0,
    retryUnitMs: 1,
  });
}

function repository() {
  return { owner: (emulator as Emulator).owner, repo: (emulator as Emulator).repo };
}

function tagAt(name: string): string | undefined {
  try {
    return (emulator as Emulator).git.run(['rev-parse', '--verify', '--quiet', `refs/tags/${name}^{commit}`]);
  } catch {
    return undefined;
  }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('swapTag', () => {
  it('throws RefWriteRefusedError when the workflows rule refuses the move, and leaves the tag', async () => {
    const { old, head, known } = await repositoryWithWorkflowChange({
      workflowsRule: { tokensWithWorkflowsPermission: [GRANTED] },
    });
    const error = await caught(swapTag(client(), repository(), 'env/production', head, old, known));
    expect(error).toBeInstanceOf(RefWriteRefusedError);
    const refusal = error as RefWriteRefusedError;
    expect(refusal.reason).toBe('workflows-permission');
    expect(refusal.ref).toBe('refs/tags/env/production');
    expect(refusal.githubMessage).toBe(
      'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission',
    );
    expect(refusal.message).toMatch(
      /^GitHub refused to write refs\/tags\/env\/production: "refusing to allow/,
    );
    expect(refusal.message).toContain("'contents: write' and 'workflows: write'");
    expect(refusal.message).toContain('actions/create-github-app-token');
    expect(refusal.hint).toContain('permission-workflows: write');
    expect(tagAt('env/production')).toBe(head);

    const granted = await swapTag(client(GRANTED), repository(), 'env/production', head, old, known);
    expect(granted).toEqual({ swapped: true, before: head, alreadyMoved: false });
    expect(tagAt('env/production')).toBe(old);
  });

  it('throws RefWriteRefusedError for a ruleset, saying to let the token bypass it', async () => {
    const { old, head, known } = await repositoryWithWorkflowChange({ tagRulesets: ['env/*'] });
    const error = (await caught(
      swapTag(client(), repository(), 'env/production', head, old, known),
    )) as RefWriteRefusedError;
    expect(error).toBeInstanceOf(RefWriteRefusedError);
    expect(error.reason).toBe('ruleset');
    expect(error.githubMessage).toMatch(/^Repository rule violations found/);
    expect(error.message).toContain('"Repository rule violations found Cannot update this protected ref."');
    expect(error.message).toMatch(/bypass the ruleset that covers the env\/\* tags.*or exclude env\/\*/);
    expect(tagAt('env/production')).toBe(head);
  });

  it('still answers a lost race as { swapped: false, current } with the winner', async () => {
    const { old, head, known } = await repositoryWithWorkflowChange();
    const winner = (emulator as Emulator).git.commit('feat: winner');
    (emulator as Emulator).git.run(['update-ref', 'refs/tags/env/production', winner]);
    // `known` was read before the other run moved the tag: the compare-and-swap is refused, the tag moved.
    expect(await swapTag(client(), repository(), 'env/production', head, old, known)).toEqual({
      swapped: false,
      current: winner,
    });
  });
});

describe('swapTag, for refusals of the token and rate limits', () => {
  it('throws RefWriteRefusedError for a FORBIDDEN answer and for an HTTP 403, naming contents: write', async () => {
    const { old, head, known } = await repositoryWithWorkflowChange();
    const forbidden = {
      data: { updateRefs: null },
      errors: [
        { type: 'FORBIDDEN', path: ['updateRefs'], message: 'Resource not accessible by integration' },
      ],
    };
    (emulator as Emulator).faults.add({ route: 'POST /graphql', status: 200, body: forbidden });
    const graphqlError = (await caught(
      swapTag(client(), repository(), 'env/production', head, old, known),
    )) as RefWriteRefusedError;
    expect([graphqlError.constructor, graphqlError.reason]).toEqual([RefWriteRefusedError, 'permission']);
    expect(graphqlError.message).toContain("'contents: write'");

    (emulator as Emulator).faults.add({
      route: 'POST /graphql',
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com',
      },
    });
    const httpError = (await caught(
      swapTag(client(), repository(), 'env/production', head, old, known),
    )) as RefWriteRefusedError;
    expect([httpError.constructor, httpError.reason]).toEqual([RefWriteRefusedError, 'permission']);
    expect(tagAt('env/production')).toBe(head);
  });

  it('calls a GraphQL RATE_LIMITED answer transient, without reading the tag back', async () => {
    const { old, head, known } = await repositoryWithWorkflowChange();
    const limited = {
      errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation.' }],
    };
    (emulator as Emulator).faults.add({ route: 'POST /graphql', status: 200, body: limited });
    (emulator as Emulator).resetLog();
    const error = await caught(swapTag(client(), repository(), 'env/production', head, old, known));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(
      /rate limit stopped the write of refs\/tags\/env\/production .*was not changed\. Re-run the job after the limit resets/,
    );
    expect((emulator as Emulator).requestCounts()).toEqual({ 'POST /graphql': 1 });
  });
});

describe('createVersionTag', () => {
  const request = (sha: string) => ({ tag: 'v1.0.0', sha, message: 'Release 1.0.0', tagger: TAGGER });

  it('throws RefWriteRefusedError when the workflows rule refuses the tag, not "version taken"', async () => {
    const { old } = await repositoryWithWorkflowChange({
      workflowsRule: { tokensWithWorkflowsPermission: [GRANTED] },
    });
    const error = (await caught(
      createVersionTag(client(), repository(), request(old)),
    )) as RefWriteRefusedError;
    expect(error).toBeInstanceOf(RefWriteRefusedError);
    expect([error.reason, error.ref]).toEqual(['workflows-permission', 'refs/tags/v1.0.0']);
    expect(error.message).toContain('without `workflows` permission');
    expect(tagAt('v1.0.0')).toBeUndefined();
    expect(await createVersionTag(client(GRANTED), repository(), request(old))).toBe(true);
    expect(tagAt('v1.0.0')).toBe(old);
  });

  it('throws RefWriteRefusedError for a ruleset 422', async () => {
    const { old } = await repositoryWithWorkflowChange({ tagRulesets: ['v*'] });
    const error = (await caught(
      createVersionTag(client(), repository(), request(old)),
    )) as RefWriteRefusedError;
    expect([error.constructor, error.reason]).toEqual([RefWriteRefusedError, 'ruleset']);
    expect(error.message).toContain('covers the v1.0.0 tags');
  });

  it('still says the version is taken when another run created the tag first', async () => {
    const { old, head } = await repositoryWithWorkflowChange();
    const running = emulator as Emulator;
    running.faults.add({ route: 'POST /repos/{owner}/{repo}/git/tags', delayMs: 300 });
    const pending = caught(createVersionTag(client(), repository(), request(old)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    running.git.run(['update-ref', 'refs/tags/v1.0.0', head]);
    const error = await pending;
    expect(error).toBeInstanceOf(UserError);
    expect(error).not.toBeInstanceOf(RefWriteRefusedError);
    expect((error as Error).message).toMatch(
      /Tag v1\.0\.0 already marks commit .*Give this release another version/,
    );
  });

  it('calls a rate limit that outlasts the retries transient', async () => {
    const { old } = await repositoryWithWorkflowChange();
    (emulator as Emulator).faults.add({
      route: 'POST /repos/{owner}/{repo}/git/refs',
      status: 403,
      times: 10,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit.',
        documentation_url: 'https://docs.github.com',
      },
    });
    const error = await caught(createVersionTag(client(), repository(), request(old)));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('Re-run the job after the limit resets');
  });
});

describe('tag writes whose answer is lost', () => {
  const request = (sha: string) => ({ tag: 'v1.0.0', sha, message: 'Release 1.0.0', tagger: TAGGER });

  it('swapTag reads the tag back after GitHub moved it and lost the answer, and does not send it again', async () => {
    const { old, head, known } = await repositoryWithWorkflowChange();
    const running = emulator as Emulator;
    running.faults.add({ route: 'POST /graphql', status: 502, afterHandling: true });
    running.resetLog();
    expect(await swapTag(client(), repository(), 'env/production', head, old, known)).toEqual({
      swapped: true,
      before: head,
      alreadyMoved: false,
    });
    expect(tagAt('env/production')).toBe(old);
    // The swap, then the read-back; no second swap.
    expect(running.requestCounts()).toEqual({ 'POST /graphql': 2 });
  });

  it('createVersionTag reads the tag back after GitHub created it and lost the answer', async () => {
    const { old } = await repositoryWithWorkflowChange();
    const running = emulator as Emulator;
    running.faults.add({ route: 'POST /repos/{owner}/{repo}/git/refs', status: 502, afterHandling: true });
    running.resetLog();
    expect(await createVersionTag(client(), repository(), request(old))).toBe(true);
    expect(tagAt('v1.0.0')).toBe(old);
    expect(running.requestCounts()['POST /repos/{owner}/{repo}/git/refs']).toBe(1);
  });

  it('createVersionTag stops with a TransientError saying to re-run when GitHub never answers', async () => {
    const { old } = await repositoryWithWorkflowChange();
    const running = emulator as Emulator;
    running.faults.add({ route: 'POST /repos/{owner}/{repo}/git/refs', status: 503, times: 10 });
    const error = await caught(createVersionTag(client(), repository(), request(old)));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(
      /^GitHub answered 503 .* to the write of refs\/tags\/v1\.0\.0 \(POST \/repos\/[^/]+\/[^/]+\/git\/refs\), and reading it back shows it was not recorded\..*re-run the job/,
    );
    expect(tagAt('v1.0.0')).toBeUndefined();
    // Not resent before reading back, then once more (with the client's retries, none here).
    expect(running.requestCounts()['POST /repos/{owner}/{repo}/git/refs']).toBe(2);
  });
});
