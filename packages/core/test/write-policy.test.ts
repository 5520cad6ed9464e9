/**
 * The suite's write policy (`github/write-policy.ts`), one situation a row: what GitHub answered each attempt, what
 * reading back found, and what the caller gets. Errors are Octokit's own classes, built as Octokit builds them (a
 * dropped connection or a timeout is a `RequestError` with status 500 and no response).
 */
import { describe, expect, it } from '@jest/globals';
import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { TransientError } from '../src/errors.js';
import { isLostAnswer } from '../src/github/http-status.js';
import {
  NOT_WRITTEN,
  writeGuarded,
  type AttemptOptions,
  type GuardedWrite,
} from '../src/github/write-policy.js';

const URL = 'https://api.github.com/repos/octo-org/shop/deployments';

/** GitHub's HTTP error answer. */
function answer(status: number, message: string, headers: Record<string, string> = {}): RequestError {
  return new RequestError(message, status, {
    request: { method: 'POST', url: URL, headers: {} },
    response: { status, url: URL, headers, data: { message } },
  });
}

/** No answer at all, as Octokit reports a dropped connection or the client's timeout. */
function noAnswer(message: string): RequestError {
  return new RequestError(message, 500, { request: { method: 'POST', url: URL, headers: {} } });
}

const badGateway = () => answer(502, 'Bad Gateway');
const dropped = () => noAnswer('other side closed');
const timedOut = () => noAnswer('The operation was aborted due to timeout');
const invalid = answer(422, 'Validation Failed');
const alreadyExists = answer(422, 'Reference already exists');
const bug = new TypeError("Cannot read properties of undefined (reading 'sha')");

/**
 * A write whose attempts meet `answers` in turn (a string is returned, anything else thrown) and whose read-backs
 * find `found` in turn.
 */
function scripted(
  answers: unknown[],
  found: Array<string | typeof NOT_WRITTEN>,
  options: { readBack?: boolean; confirms?: (error: unknown) => boolean } = {},
) {
  const sent: AttemptOptions[] = [];
  let reads = 0;
  const write: GuardedWrite<string> = {
    what: 'the deployment of 1a2b3c4 to staging',
    send: async (request) => {
      sent.push(request);
      const next = answers[sent.length - 1];
      if (next === undefined) throw new Error('the test sent more attempts than it scripted');
      if (typeof next !== 'string') throw next;
      return next;
    },
    ...(options.readBack === false
      ? {}
      : {
          readBack: async () => {
            reads += 1;
            const next = found[reads - 1];
            if (next === undefined) throw new Error('the test read back more often than it scripted');
            return next;
          },
        }),
    ...(options.confirms ? { confirms: options.confirms } : {}),
  };
  return { write, sent, reads: () => reads };
}

async function outcome(write: GuardedWrite<string>): Promise<{ result?: string; error?: unknown }> {
  try {
    return { result: await writeGuarded(write) };
  } catch (error) {
    return { error };
  }
}

const FIRST = { retries: 0 };
const LAST = {};

/** One situation: what each attempt meets, what each read-back finds, and what the caller gets. */
interface Situation {
  situation: string;
  answers: unknown[];
  found: Array<string | typeof NOT_WRITTEN>;
  result: string;
  sent: AttemptOptions[];
  reads: number;
}

describe('writeGuarded, for a write that must not be applied twice', () => {
  it.each<Situation>([
    {
      situation: 'answered: the first attempt is the only request',
      answers: ['created'],
      found: [],
      result: 'created',
      sent: [FIRST],
      reads: 0,
    },
    {
      situation: 'lost (502), then confirmed by reading back: not sent again',
      answers: [badGateway()],
      found: ['created meanwhile'],
      result: 'created meanwhile',
      sent: [FIRST],
      reads: 1,
    },
    {
      situation: 'lost (dropped connection), not there when read back: sent again with the client retries',
      answers: [dropped(), 'created'],
      found: [NOT_WRITTEN],
      result: 'created',
      sent: [FIRST, LAST],
      reads: 1,
    },
    {
      situation: 'lost twice, the second write found when read back',
      answers: [timedOut(), badGateway()],
      found: [NOT_WRITTEN, 'created by the second attempt'],
      result: 'created by the second attempt',
      sent: [FIRST, LAST],
      reads: 2,
    },
  ])('$situation', async ({ answers, found, result, sent, reads }) => {
    const write = scripted(answers, found);
    expect(await outcome(write.write)).toEqual({ result });
    expect(write.sent).toEqual(sent);
    expect(write.reads()).toBe(reads);
  });

  it.each([
    { situation: 'a 502 every time', lost: [badGateway(), answer(503, 'Service Unavailable')] },
    { situation: 'a timeout every time', lost: [timedOut(), timedOut()] },
  ])('stops with a TransientError saying to re-run when lost every time: $situation', async ({ lost }) => {
    const write = scripted(lost, [NOT_WRITTEN, NOT_WRITTEN]);
    const { error } = await outcome(write.write);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(
      /^GitHub (answered 503 "Service Unavailable" to|did not answer) the write of the deployment of 1a2b3c4 to staging \(POST \/repos\/octo-org\/shop\/deployments(\)|: .+\)), and reading it back shows it was not recorded\..* re-run the job/,
    );
    expect((error as Error).cause).toBe(lost[1]);
    expect(write.sent).toEqual([FIRST, LAST]);
    expect(write.reads()).toBe(2);
  });

  it.each([
    { situation: 'a 4xx refusal', error: invalid },
    { situation: 'a rate limit the client did not wait out', error: answer(403, 'API rate limit exceeded') },
    {
      situation: 'a GraphQL error answer',
      error: new GraphqlResponseError(
        { method: 'POST', url: '/graphql' },
        {},
        {
          data: undefined,
          errors: [
            {
              type: 'NOT_FOUND',
              message: 'no such ref',
              locations: [{ line: 1, column: 1 }],
              path: ['repository'],
              extensions: {},
            },
          ],
        },
      ),
    },
    { situation: 'a TypeError (a bug of the suite)', error: bug },
    { situation: 'an object shaped like a 502 but not a RequestError', error: { status: 502 } },
  ])('propagates $situation unchanged, after one attempt and no read', async ({ error }) => {
    const write = scripted([error], []);
    expect((await outcome(write.write)).error).toBe(error);
    expect(write.sent).toEqual([FIRST]);
    expect(write.reads()).toBe(0);
  });

  it.each<{
    situation: string;
    found: Array<string | typeof NOT_WRITTEN>;
    expected: { result?: string; error?: unknown };
  }>([
    {
      situation: 'an answer it confirms, found when read back: the outcome read',
      found: ['created by an earlier attempt'],
      expected: { result: 'created by an earlier attempt' },
    },
    {
      situation: 'an answer it confirms, not found when read back: the answer as GitHub gave it',
      found: [NOT_WRITTEN],
      expected: { error: alreadyExists },
    },
  ])('reads back $situation', async ({ found, expected }) => {
    const confirms = (error: unknown) => error === alreadyExists;
    const write = scripted([alreadyExists], found, { confirms });
    const { result, error } = await outcome(write.write);
    expect(result).toBe(expected.result);
    expect(error).toBe(expected.error);
    expect(write.sent).toEqual([FIRST]);
    expect(write.reads()).toBe(1);
  });
});

describe('writeGuarded, for a write that is harmless to repeat (no read-back)', () => {
  it.each([
    { situation: 'answered', answer: 'updated', expected: { result: 'updated' } },
    { situation: 'a 4xx refusal', answer: invalid, expected: { error: invalid } },
    { situation: 'a TypeError', answer: bug, expected: { error: bug } },
  ])('$situation: one call with the client retries', async ({ answer: first, expected }) => {
    const write = scripted([first], [], { readBack: false });
    const { result, error } = await outcome(write.write);
    expect(result).toBe(expected.result);
    expect(error).toBe(expected.error);
    expect(write.sent).toEqual([LAST]);
  });

  it('stops with a TransientError when the answer is lost after the client retries', async () => {
    const write = scripted([timedOut()], [], { readBack: false });
    const { error } = await outcome(write.write);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(
      'GitHub did not answer the write of the deployment of 1a2b3c4 to staging (POST ' +
        '/repos/octo-org/shop/deployments: The operation was aborted due to timeout) after retries. ' +
        'GitHub may be having trouble; re-run the job to complete the step.',
    );
    expect(write.sent).toEqual([LAST]);
  });
});

describe('isLostAnswer: what may have been applied before its answer was lost', () => {
  it.each([
    { name: 'a 502 answer', error: badGateway(), lost: true },
    { name: 'a 503 answer', error: answer(503, 'Service Unavailable'), lost: true },
    { name: 'a dropped connection', error: dropped(), lost: true },
    { name: 'a timeout', error: timedOut(), lost: true },
    { name: 'a 404 answer', error: answer(404, 'Not Found'), lost: false },
    { name: 'a 422 answer', error: invalid, lost: false },
    {
      name: 'a 429 answer',
      error: answer(429, 'secondary rate limit', { 'retry-after': '1' }),
      lost: false,
    },
    { name: 'a TypeError', error: bug, lost: false },
    { name: 'a plain Error', error: new Error('boom'), lost: false },
    { name: 'an object with status 502', error: { status: 502, message: 'Bad Gateway' }, lost: false },
  ])('$name: $lost', ({ error, lost }) => {
    expect(isLostAnswer(error)).toBe(lost);
  });
});
