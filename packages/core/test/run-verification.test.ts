import { describe, expect, it } from '@jest/globals';
import type { Clock } from '../src/clock.js';
import type { CheckSpec } from '../src/checks/check-spec.js';
import type { CheckAttempt } from '../src/checks/http-check.js';
import { runVerification, type CommandRunner } from '../src/checks/run-verification.js';
import type { VerificationOptions } from '../src/checks/verification-options.js';
import {
  bakeIsOver,
  bakeRoundWaitMs,
  bakeSchedule,
  retryAgain,
  retryWaitMs,
} from '../src/checks/verification-schedule.js';
import { UserError } from '../src/errors.js';
import { recordingLogger } from './support/loggers.js';

const START = Date.UTC(2025, 0, 1, 12, 0, 0);

/** A fake clock: time moves only when the code sleeps or a fake check takes time. */
function fakeTime(): { state: { now: number; sleeps: number[] }; clock: Clock } {
  const state = { now: START, sleeps: [] as number[] };
  return {
    state,
    clock: {
      now: () => state.now,
      sleep: async (ms: number) => {
        state.sleeps.push(ms);
        state.now += ms;
      },
    },
  };
}

/** A fetch answering each URL with the next status of its script (the last one repeats), taking `takesMs`. */
function scriptedFetch(time: ReturnType<typeof fakeTime>, scripts: Record<string, number[]>, takesMs = 0) {
  const calls: Array<{ url: string; at: number }> = [];
  const fakeFetch = (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push({ url, at: time.state.now - START });
    time.state.now += takesMs;
    const script = scripts[url];
    if (!script) throw new Error(`unexpected URL ${url}`);
    const status = script.length > 1 ? script.shift()! : script[0]!;
    return new Response(status === 204 ? null : `status ${status}`, { status });
  }) as typeof globalThis.fetch;
  return { fetch: fakeFetch, calls };
}

/** A command runner passing or failing as scripted per command (the last outcome repeats). */
function scriptedCommands(scripts: Record<string, boolean[]>): {
  runCommand: CommandRunner;
  calls: string[];
} {
  const calls: string[] = [];
  const runCommand: CommandRunner = async (check, options) => {
    calls.push(check.run);
    const script = scripts[check.run] ?? [true];
    const passed = script.length > 1 ? script.shift()! : script[0]!;
    options.log(passed ? 'all good' : 'it broke');
    return {
      passed,
      latencyMs: 0,
      message: passed ? 'exited with code 0' : 'exited with code 1: it broke',
      output: [passed ? 'all good' : 'it broke'],
    } satisfies CheckAttempt & { output: string[] };
  };
  return { runCommand, calls };
}

const options = (overrides: Partial<VerificationOptions> = {}): VerificationOptions => ({
  attempts: 5,
  intervalMs: 10_000,
  timeoutMs: 10_000,
  bakeTimeMs: 0,
  ...overrides,
});

const web: CheckSpec = { kind: 'http', url: 'https://pre.example.com/healthz', name: 'health' };
const api: CheckSpec = { kind: 'http', url: 'https://api.pre.example.com/', status: [200] };
const smoke: CheckSpec = { kind: 'command', run: './smoke.sh', name: 'smoke' };

describe('runVerification, retries', () => {
  it('passes at once when every check passes, with a JSON-serialisable report', async () => {
    const time = fakeTime();
    const { fetch } = scriptedFetch(time, { [web.url]: [200], [api.url]: [200] });
    const { runCommand } = scriptedCommands({});
    const report = await runVerification([web, api, smoke], options(), {
      clock: time.clock,
      fetch,
      runCommand,
      logger: recordingLogger(),
    });
    expect(report).toEqual({
      result: 'passed',
      checks: [
        {
          name: 'health',
          kind: 'http',
          target: web.url,
          passed: true,
          attempts: 1,
          lastMessage: 'status 200 in 0 ms',
          latencyMs: 0,
          status: 200,
        },
        {
          name: api.url,
          kind: 'http',
          target: api.url,
          passed: true,
          attempts: 1,
          lastMessage: 'status 200 in 0 ms',
          latencyMs: 0,
          status: 200,
        },
        {
          name: 'smoke',
          kind: 'command',
          target: './smoke.sh',
          passed: true,
          attempts: 1,
          lastMessage: 'exited with code 0',
          latencyMs: 0,
          output: ['all good'],
        },
      ],
      bakeTimeMs: 0,
      rounds: 0,
      retryRounds: 1,
      startedAt: '2025-01-01T12:00:00.000Z',
      finishedAt: '2025-01-01T12:00:00.000Z',
      durationMs: 0,
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(time.state.sleeps).toEqual([]);
  });

  it('retries only failing checks, doubling the wait after each failure', async () => {
    const time = fakeTime();
    const { fetch, calls } = scriptedFetch(time, { [web.url]: [503, 502, 200], [api.url]: [200] });
    const report = await runVerification([web, api], options(), {
      clock: time.clock,
      fetch,
      logger: recordingLogger(),
    });
    expect(report.result).toBe('passed');
    expect(time.state.sleeps).toEqual([10_000, 20_000]);
    expect(calls).toEqual([
      { url: web.url, at: 0 },
      { url: api.url, at: 0 },
      { url: web.url, at: 10_000 },
      { url: web.url, at: 30_000 },
    ]);
    expect(report.checks.map((check) => check.attempts)).toEqual([3, 1]);
    expect(report.retryRounds).toBe(3);
    expect(report.durationMs).toBe(30_000);
    expect(report.finishedAt).toBe('2025-01-01T12:00:30.000Z');
  });

  it('fails after the last attempt, without waiting after it', async () => {
    const time = fakeTime();
    const { fetch, calls } = scriptedFetch(time, { [web.url]: [200], [api.url]: [503] });
    const logger = recordingLogger();
    const report = await runVerification([web, api], options({ attempts: 4, bakeTimeMs: 60_000 }), {
      clock: time.clock,
      fetch,
      logger,
    });
    expect(report.result).toBe('failed');
    expect(report.failedIn).toBe('checks');
    expect(report.rounds).toBe(0);
    expect(time.state.sleeps).toEqual([10_000, 20_000, 40_000]);
    expect(calls.filter((call) => call.url === api.url)).toHaveLength(4);
    expect(report.checks[0]).toMatchObject({ passed: true, attempts: 1 });
    expect(report.checks[1]).toMatchObject({
      passed: false,
      attempts: 4,
      status: 503,
      lastMessage: 'expected status 200, got 503',
    });
    expect(logger.lines.map((line) => line.message)).toContain(
      `✗ ${api.url} (attempt 4 of 4): expected status 200, got 503`,
    );
  });

  it('caps the wait at 60 s', async () => {
    const time = fakeTime();
    const { fetch } = scriptedFetch(time, { [web.url]: [500] });
    await runVerification([web], options({ attempts: 7, intervalMs: 20_000 }), {
      clock: time.clock,
      fetch,
      logger: recordingLogger(),
    });
    expect(time.state.sleeps).toEqual([20_000, 40_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('never waits less than an interval longer than 60 s', async () => {
    const time = fakeTime();
    const { fetch } = scriptedFetch(time, { [web.url]: [500] });
    await runVerification([web], options({ attempts: 3, intervalMs: 90_000 }), {
      clock: time.clock,
      fetch,
      logger: recordingLogger(),
    });
    expect(time.state.sleeps).toEqual([90_000, 90_000]);
  });

  it('does not wait with interval 0', async () => {
    const time = fakeTime();
    const { fetch, calls } = scriptedFetch(time, { [web.url]: [500, 500, 200] });
    const report = await runVerification([web], options({ intervalMs: 0 }), {
      clock: time.clock,
      fetch,
      logger: recordingLogger(),
    });
    expect(report.result).toBe('passed');
    expect(calls).toHaveLength(3);
    expect(time.state.sleeps).toEqual([]);
  });

  it('counts a check that throws as a failed attempt', async () => {
    const time = fakeTime();
    const report = await runVerification([smoke], options({ attempts: 2 }), {
      clock: time.clock,
      logger: recordingLogger(),
      runCommand: async () => {
        throw new Error('boom');
      },
    });
    expect(report.result).toBe('failed');
    expect(report.checks[0]).toMatchObject({ attempts: 2, lastMessage: 'could not run the check: boom' });
  });

  it('refuses to verify nothing', async () => {
    const time = fakeTime();
    await expect(
      runVerification([], options(), { clock: time.clock, logger: recordingLogger() }),
    ).rejects.toThrow(UserError);
  });
});

describe('runVerification, bake time', () => {
  it('repeats every check every interval until the bake time has elapsed', async () => {
    const time = fakeTime();
    const { fetch, calls } = scriptedFetch(time, { [web.url]: [200] });
    const { runCommand, calls: commandCalls } = scriptedCommands({});
    const report = await runVerification([web, smoke], options({ bakeTimeMs: 30_000 }), {
      clock: time.clock,
      fetch,
      runCommand,
      logger: recordingLogger(),
    });
    expect(report.result).toBe('passed');
    expect(report.failedIn).toBeUndefined();
    expect(report.rounds).toBe(3);
    expect(time.state.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(calls.map((call) => call.at)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(commandCalls).toHaveLength(4);
    expect(report.checks.map((check) => check.attempts)).toEqual([4, 4]);
    expect(report.durationMs).toBe(30_000);
  });

  it('fails at once when a check fails in the third round, with no retry', async () => {
    const time = fakeTime();
    const third: CheckSpec = { kind: 'http', url: 'https://third.example.com/' };
    const { fetch, calls } = scriptedFetch(time, { [web.url]: [200], [third.url]: [200] });
    // Passes in the retry phase and bake rounds 1 and 2, fails in round 3.
    const { runCommand, calls: commandCalls } = scriptedCommands({
      './smoke.sh': [true, true, true, false, true],
    });
    const report = await runVerification([web, smoke, third], options({ bakeTimeMs: 60_000 }), {
      clock: time.clock,
      fetch,
      runCommand,
      logger: recordingLogger(),
    });
    expect(report.result).toBe('failed');
    expect(report.failedIn).toBe('bake');
    expect(report.rounds).toBe(3);
    expect(time.state.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(commandCalls).toHaveLength(4);
    expect(calls.filter((call) => call.url === web.url)).toHaveLength(4);
    expect(calls.filter((call) => call.url === third.url)).toHaveLength(3);
    expect(report.checks.map((check) => [check.name, check.passed, check.attempts])).toEqual([
      ['health', true, 4],
      ['smoke', false, 4],
      // Not run in round 3: verification stopped at the first failure.
      [third.url, true, 3],
    ]);
    expect(report.durationMs).toBe(30_000);
  });

  it('runs one round at the end when the bake time is shorter than the interval', async () => {
    const time = fakeTime();
    const { fetch } = scriptedFetch(time, { [web.url]: [200] });
    const report = await runVerification([web], options({ bakeTimeMs: 5000 }), {
      clock: time.clock,
      fetch,
      logger: recordingLogger(),
    });
    expect(report.rounds).toBe(1);
    expect(time.state.sleeps).toEqual([5000]);
  });

  it('spaces rounds at least 1 s apart with interval 0', async () => {
    const time = fakeTime();
    const { fetch } = scriptedFetch(time, { [web.url]: [200] });
    const report = await runVerification([web], options({ intervalMs: 0, bakeTimeMs: 3000 }), {
      clock: time.clock,
      fetch,
      logger: recordingLogger(),
    });
    expect(report.rounds).toBe(3);
    expect(time.state.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('keeps to the schedule when checks take time, ending at the bake deadline', async () => {
    const time = fakeTime();
    const { fetch, calls } = scriptedFetch(time, { [web.url]: [200] }, 4000);
    const report = await runVerification([web], options({ intervalMs: 5000, bakeTimeMs: 10_000 }), {
      clock: time.clock,
      fetch,
      logger: recordingLogger(),
    });
    // Phase 1 ends at 4 s; rounds are due at 9 s and 14 s (the deadline).
    expect(calls.map((call) => call.at)).toEqual([0, 9000, 14_000]);
    expect(time.state.sleeps).toEqual([5000, 1000]);
    expect(report.rounds).toBe(2);
    expect(report.checks[0]?.latencyMs).toBe(4000);
  });
});

describe('runVerification, Prometheus checks', () => {
  const server = 'http://prometheus.test:9090';
  const ratio: CheckSpec = {
    kind: 'prometheus',
    server,
    query: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))',
    comparison: 'below',
    threshold: 0.01,
    noData: 'fail',
    headers: { Authorization: 'Bearer ${PROM_TOKEN}' },
  };

  /** A fetch playing Prometheus: answers each query with the next value of the script (the last repeats). */
  function prometheusFetch(values: string[]) {
    const requests: Array<{ url: string; authorization: string | null }> = [];
    const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      requests.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      const value = values.length > 1 ? values.shift()! : values[0]!;
      const body = {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1, value] }] },
      };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof globalThis.fetch;
    return { fetch: fakeFetch, requests };
  }

  it('runs them by their kind, next to HTTP checks, and reports the query and the reading', async () => {
    const time = fakeTime();
    const prometheus = prometheusFetch(['0.05', '0.002']);
    const fetch = (async (input: string | URL | Request, init?: RequestInit) =>
      String(input).startsWith(server)
        ? prometheus.fetch(input, init)
        : new Response('ok', { status: 200 })) as typeof globalThis.fetch;
    const masked: string[] = [];
    const logger = recordingLogger();
    const report = await runVerification([web, ratio], options({ intervalMs: 1000 }), {
      clock: time.clock,
      fetch,
      logger,
      env: { PROM_TOKEN: 'token-123' },
      mask: (value) => masked.push(value),
    });
    expect(report.result).toBe('passed');
    expect(report.checks[1]).toEqual({
      name: 'prometheus: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(…',
      kind: 'prometheus',
      target: ratio.query,
      passed: true,
      attempts: 2,
      lastMessage: '0.002 below 0.01',
      latencyMs: 0,
      status: 200,
      value: 0.002,
    });
    expect(prometheus.requests).toHaveLength(2);
    expect(prometheus.requests[0]?.url).toBe(
      `${server}/api/v1/query?query=${encodeURIComponent(ratio.query)}`,
    );
    expect(prometheus.requests.map((request) => request.authorization)).toEqual([
      'Bearer token-123',
      'Bearer token-123',
    ]);
    // Masked once, before the first request, though both attempts sent it.
    expect(masked).toEqual(['token-123']);
    const lines = logger.lines.map((line) => line.message);
    expect(lines).toContain(
      '✗ prometheus: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(… (attempt 1 of 5): ' +
        '0.05 (not below 0.01)',
    );
    expect(lines.join('\n')).not.toContain('token-123');
  });

  it('fails an attempt naming a header variable that is not set, without a request', async () => {
    const time = fakeTime();
    const prometheus = prometheusFetch(['0']);
    const report = await runVerification([{ ...ratio, name: 'errors' }], options({ attempts: 2 }), {
      clock: time.clock,
      fetch: prometheus.fetch,
      logger: recordingLogger(),
      env: {},
    });
    expect(report.result).toBe('failed');
    expect(report.checks[0]).toMatchObject({
      name: 'errors',
      passed: false,
      attempts: 2,
      lastMessage: "the header variable PROM_TOKEN is not set (or empty): set it in the step's env:",
    });
    expect(report.checks[0]).not.toHaveProperty('value');
    expect(prometheus.requests).toHaveLength(0);
  });

  it('drops the reading of an earlier attempt when the last one had none', async () => {
    const time = fakeTime();
    const prometheus = prometheusFetch(['0.5', 'NaN']);
    const check: CheckSpec = { ...ratio, headers: undefined, comparison: 'at-least', threshold: 1 };
    const report = await runVerification([check], options({ attempts: 2 }), {
      clock: time.clock,
      fetch: prometheus.fetch,
      logger: recordingLogger(),
    });
    expect(report.checks[0]).toMatchObject({ attempts: 2, lastMessage: expect.stringMatching(/no data/) });
    expect(report.checks[0]).not.toHaveProperty('value');
  });
});

describe('runVerification, logging', () => {
  it('logs command output so that it cannot act as a workflow command', async () => {
    const time = fakeTime();
    const logger = recordingLogger();
    await runVerification([smoke], options(), {
      clock: time.clock,
      logger,
      runCommand: async (_check, { log }) => {
        log('::error::injected');
        log('   ::set-output name=x::y');
        log('text ##[error]legacy');
        return { passed: true, latencyMs: 0, message: 'exited with code 0', output: [] };
      },
    });
    const messages = logger.lines.map((line) => line.message);
    expect(messages).toContain('  │ ::error::injected');
    expect(messages.every((message) => !message.trimStart().startsWith('::'))).toBe(true);
    expect(messages.every((message) => !message.includes('##['))).toBe(true);
  });
});

describe('the verification schedule', () => {
  it.each([
    // [interval, after failed round, wait]
    [10_000, 1, 10_000],
    [10_000, 2, 20_000],
    [10_000, 3, 40_000],
    [10_000, 4, 60_000],
    [10_000, 9, 60_000],
    [20_000, 3, 60_000],
    [90_000, 1, 90_000],
    [90_000, 5, 90_000],
    [0, 1, 0],
    [0, 4, 0],
    [500, 1, 500],
  ])('waits after failed rounds with interval %i ms: round %i -> %i ms', (interval, round, wait) => {
    expect(retryWaitMs(interval, round)).toBe(wait);
  });

  it.each([
    // [checks failing, after round, attempts, another round]
    [0, 1, 5, false],
    [1, 1, 5, true],
    [2, 4, 5, true],
    [1, 5, 5, false],
    [1, 1, 1, false],
    [0, 5, 5, false],
  ])('retries %i failing check(s) after round %i of %i: %s', (failing, round, attempts, again) => {
    expect(retryAgain(failing, round, attempts)).toBe(again);
  });

  it.each([
    // [interval, bake time, step, rounds at most]
    [10_000, 30_000, 10_000, 3],
    [10_000, 60_000, 10_000, 6],
    [10_000, 5000, 10_000, 1],
    [0, 3000, 1000, 3],
    [500, 2500, 1000, 3],
    [5000, 10_000, 5000, 2],
    [7000, 10_000, 7000, 2],
  ])(
    'plans a bake time with interval %i ms over %i ms: every %i ms, %i round(s) at most',
    (interval, bakeTime, step, maxRounds) => {
      expect(bakeSchedule(START, interval, bakeTime)).toEqual({
        startMs: START,
        deadlineMs: START + bakeTime,
        stepMs: step,
        maxRounds,
      });
    },
  );

  it.each([
    // [round, now (ms after the bake started), wait]
    [1, 0, 5000],
    [1, 4000, 1000],
    [1, 5000, 0],
    [1, 6000, -1000],
    [2, 9000, 1000],
    [3, 10_000, 0],
    [3, 12_000, -2000],
  ])('waits before round %i at %i ms of a 5 s-step, 10 s bake: %i ms', (round, at, wait) => {
    const schedule = bakeSchedule(START, 5000, 10_000);
    expect(bakeRoundWaitMs(schedule, round, START + at)).toBe(wait);
  });

  it('never schedules a round after the bake deadline', () => {
    const schedule = bakeSchedule(START, 7000, 10_000);
    expect(bakeRoundWaitMs(schedule, 2, START)).toBe(10_000);
  });

  it.each([
    // [now (ms after the bake started), over]
    [0, false],
    [9999, false],
    [10_000, true],
    [15_000, true],
  ])('tells a 10 s bake time at %i ms is over: %s', (at, over) => {
    expect(bakeIsOver(bakeSchedule(START, 5000, 10_000), START + at)).toBe(over);
  });
});
