import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { secondaryRateLimitBody, startEmulator, type Emulator } from '@release-promotion/emulator';
import { createGitHubClient, type GitHubClientOptions } from '../src/github/client.js';
import { isLostAnswer } from '../src/github/http-status.js';
import { recordingLogger } from './support/loggers.js';

let emulator: Emulator;
const ROUTE = 'GET /repos/{owner}/{repo}';

beforeAll(async () => {
  emulator = await startEmulator();
});

afterEach(() => {
  emulator.faults.clear();
  emulator.resetLog();
});

afterAll(async () => {
  await emulator.close();
});

function client(options: Omit<GitHubClientOptions, 'token' | 'baseUrl' | 'logger'> = {}) {
  const logger = recordingLogger();
  return {
    logger,
    octokit: createGitHubClient({ token: 'test-token', baseUrl: emulator.url, logger, ...options }),
  };
}

async function getRepository(octokit: ReturnType<typeof createGitHubClient>) {
  return octokit.rest.repos.get({ owner: emulator.owner, repo: emulator.repo });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const REPOSITORY_ID = `query { repository(owner: "octo-org", name: "shop") { id } }`;

describe('createGitHubClient', () => {
  it('talks to the given base URL', async () => {
    const { octokit } = client();
    const response = await getRepository(octokit);
    expect(response.data.full_name).toBe(emulator.fullName);
    expect(emulator.requests).toHaveLength(1);
  });

  it('retries a 502 and succeeds', async () => {
    emulator.faults.add({ route: ROUTE, status: 502 });
    const { octokit } = client();
    const response = await getRepository(octokit);
    expect(response.status).toBe(200);
    expect(emulator.requests.map((request) => request.status)).toEqual([502, 200]);
  });

  it('retries a dropped connection', async () => {
    emulator.faults.add({ route: ROUTE, drop: true });
    const { octokit } = client();
    await getRepository(octokit);
    expect(emulator.requestCounts()[ROUTE]).toBe(2);
  });

  it('gives each attempt its own deadline and retries one that GitHub answers too late', async () => {
    emulator.faults.add({ route: ROUTE, delayMs: 1500 });
    const { octokit } = client({ requestTimeoutMs: 400 });
    const response = await getRepository(octokit);
    expect(response.status).toBe(200);
    expect(emulator.requestCounts()[ROUTE]).toBe(2);
  });

  it('waits out a secondary rate limit with retry-after and succeeds', async () => {
    emulator.faults.add({
      route: ROUTE,
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      },
    });
    const { octokit, logger } = client();
    const response = await getRepository(octokit);
    expect(response.status).toBe(200);
    expect(logger.lines.some((line) => /secondary rate limit/.test(line.message))).toBe(true);
  });

  it.each([
    { fault: 'a timeout', rule: { delayMs: 1500 }, message: /^GitHub did not answer within 400 ms$/ },
    { fault: 'a dropped connection', rule: { drop: true }, message: /./ },
  ])('reports $fault as a RequestError without an answer, a lost answer', async ({ rule, message }) => {
    emulator.faults.add({ route: ROUTE, ...rule });
    const { octokit } = client({ requestTimeoutMs: 400, retries: 0 });
    const error = await caught(getRepository(octokit));
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).response).toBeUndefined();
    expect((error as RequestError).message).toMatch(message);
    expect(isLostAnswer(error)).toBe(true);
  });

  it('waits out a primary rate limit until it resets and succeeds', async () => {
    emulator.faults.add({
      route: ROUTE,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
      body: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: 'https://docs.github.com',
      },
    });
    const { octokit, logger } = client({ retryUnitMs: 1 });
    expect((await getRepository(octokit)).status).toBe(200);
    expect(emulator.requests.map((request) => request.status)).toEqual([403, 200]);
    expect(logger.lines.map((line) => line.message)).toContainEqual(
      expect.stringMatching(
        /^GitHub's primary rate limit stopped GET \/repos\/\{owner\}\/\{repo\}; retrying in [012] s\.$/,
      ),
    );
  });

  it('honours retry-after on a 429: one wait as long as asked, no extra back-off retries', async () => {
    emulator.faults.add({
      route: ROUTE,
      status: 429,
      headers: { 'retry-after': '3' },
      body: secondaryRateLimitBody(),
    });
    const { octokit } = client({ retryUnitMs: 100 });
    const started = Date.now();
    expect((await getRepository(octokit)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it('gives a rate limit back as GitHub answered it after its rate-limit retries, or when the wait is too long', async () => {
    const limited = {
      route: ROUTE,
      status: 403,
      headers: { 'retry-after': '1' },
      body: secondaryRateLimitBody(),
      times: 10,
    };
    emulator.faults.add(limited);
    const error = await caught(getRepository(client({ rateLimitRetries: 1, retryUnitMs: 1 }).octokit));
    expect([error instanceof RequestError, (error as RequestError).status]).toEqual([true, 403]);
    expect(emulator.requestCounts()[ROUTE]).toBe(2);

    emulator.faults.clear();
    emulator.resetLog();
    emulator.faults.add({ ...limited, headers: { 'retry-after': '120' } });
    const { octokit, logger } = client({ retryUnitMs: 1 });
    expect(await caught(getRepository(octokit))).toBeInstanceOf(RequestError);
    expect(emulator.requestCounts()[ROUTE]).toBe(1);
    expect(logger.lines.map((line) => line.message)).toContainEqual(expect.stringMatching(/giving up\.$/));
  });

  it('waits out a GraphQL RATE_LIMITED answer, and gives it back as a GraphqlResponseError when it lasts', async () => {
    const limited = {
      route: 'POST /graphql',
      status: 200,
      body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation.' }] },
    };
    emulator.faults.add({
      ...limited,
      headers: { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
    });
    const answered = await client({ retryUnitMs: 1 }).octokit.graphql<{ repository: { id: string } }>(
      REPOSITORY_ID,
    );
    expect(answered.repository.id).toEqual(expect.any(String));
    expect(emulator.requestCounts()['POST /graphql']).toBe(2);

    emulator.faults.add({ ...limited, times: 10 });
    const error = await caught(
      client({ rateLimitRetries: 0, retryUnitMs: 1 }).octokit.graphql(REPOSITORY_ID),
    );
    expect(error).toBeInstanceOf(GraphqlResponseError);
    expect((error as GraphqlResponseError<unknown>).errors?.[0]?.type).toBe('RATE_LIMITED');
  });

  it('sends writes and GraphQL requests one after another without spacing them apart', async () => {
    const { octokit } = client();
    const started = Date.now();
    for (let request = 0; request < 5; request += 1) await octokit.graphql(REPOSITORY_ID);
    // Spaced a second apart, as a write queue would, five requests would take four seconds at least.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(emulator.requestCounts()['POST /graphql']).toBe(5);
  });

  it('gives up after its retries and surfaces the last error', async () => {
    emulator.faults.add({ route: ROUTE, status: 503, times: 10 });
    const { octokit } = client({ retries: 1 });
    await expect(getRepository(octokit)).rejects.toMatchObject({ status: 503 });
    expect(emulator.requestCounts()[ROUTE]).toBe(2);
  });
});
