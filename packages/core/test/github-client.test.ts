import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { createGitHubClient } from '../src/index.js';
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

function client(options: { requestTimeoutMs?: number; retries?: number } = {}) {
  const logger = recordingLogger();
  return {
    logger,
    octokit: createGitHubClient({ token: 'test-token', baseUrl: emulator.url, logger, ...options }),
  };
}

async function getRepository(octokit: ReturnType<typeof createGitHubClient>) {
  return octokit.rest.repos.get({ owner: emulator.owner, repo: emulator.repo });
}

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

  it('gives up after its retries and surfaces the last error', async () => {
    emulator.faults.add({ route: ROUTE, status: 503, times: 10 });
    const { octokit } = client({ retries: 1 });
    await expect(getRepository(octokit)).rejects.toMatchObject({ status: 503 });
    expect(emulator.requestCounts()[ROUTE]).toBe(2);
  });
});
