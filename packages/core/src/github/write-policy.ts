/**
 * The one way the suite writes what it records on GitHub. A write whose answer is lost (a server error, a dropped
 * connection, a timeout) may have been applied before the answer was lost, and most of the suite's records must
 * not be written twice (a second deployment or status, a tag moved under another run's feet). So the first attempt
 * goes out without the client's blind retries; after a lost answer GitHub is read back, and only a write it shows
 * no trace of is sent again, this time with the client's retries. A write GitHub never confirms stops the step
 * with a {@link TransientError}: a re-run completes it.
 *
 * Every other error propagates unchanged: GitHub's refusals as GitHub gave them, and errors that are not GitHub's
 * at all (a `TypeError` is a bug of the suite) without a single resend.
 */
import type { RequestError } from '@octokit/request-error';
import { TransientError } from '../errors.js';
import { isLostAnswer, requestLine } from './http-status.js';
import { githubMessageOf } from './ref-write-refusal.js';

/** What a {@link GuardedWrite}'s `readBack` answers when GitHub shows no trace of the write. */
export const NOT_WRITTEN: unique symbol = Symbol('not written');

/** Request options for one attempt: `{ retries: 0 }` turns the client's retries off, `{}` keeps its default. */
export interface AttemptOptions {
  retries?: number;
}

/** One write to GitHub and how to tell, once its answer is lost, whether it took effect. */
export interface GuardedWrite<T> {
  /** What is written, for the error when GitHub never confirms it: `the deployment of 1a2b3c4 to staging`. */
  what: string;
  /**
   * Sends the write once. `request` goes into the Octokit call as its `request` option: it sets how often the
   * client itself may resend this attempt.
   */
  send(request: AttemptOptions): Promise<T>;
  /**
   * Reads GitHub back after a lost answer (or an answer `confirms` names): the write's outcome when GitHub shows
   * it took effect or the matter settled otherwise (another run's write), {@link NOT_WRITTEN} when it shows no
   * trace of it. It may throw what the answer turns out to mean (a refusal, a version taken).
   *
   * Leave it out for a write that is harmless to repeat (an update to the same values, an object nothing points
   * at): the client's own retries then resend it as they see fit, and nothing is read.
   */
  readBack?: (error: unknown) => Promise<T | typeof NOT_WRITTEN>;
  /**
   * GitHub's error answers that are read back too, because they may hide an earlier attempt's success or another
   * run's write (a 422 "already exists", a refused compare-and-swap). When the read shows no trace, the answer
   * propagates as GitHub gave it.
   */
  confirms?: (error: unknown) => boolean;
}

/**
 * The attempts of a write that is read back, as the client's retry option of each: the first without retries, so
 * that no lost answer is resent before GitHub is read; the last with the client's default retries. Two are enough:
 * a write lost twice means GitHub is in trouble, and a re-run is the better retry.
 */
const ATTEMPTS: readonly AttemptOptions[] = [{ retries: 0 }, {}];

/**
 * Sends `write` under the suite's write policy: sent; on a lost answer read back; then sent again (once) or
 * stopped with a {@link TransientError} that says to re-run. Returns what `send`, or `readBack`, found.
 */
export async function writeGuarded<T>(write: GuardedWrite<T>): Promise<T> {
  const { readBack } = write;
  if (!readBack) return sendRepeatable(write);
  let lost: RequestError | undefined;
  for (const request of ATTEMPTS) {
    try {
      return await write.send(request);
    } catch (error) {
      const answerLost = isLostAnswer(error);
      if (!answerLost && !write.confirms?.(error)) throw error;
      const found = await readBack(error);
      if (found !== NOT_WRITTEN) return found;
      if (!answerLost) throw error;
      lost = error as RequestError;
    }
  }
  throw new TransientError(
    `${lostWrite(write.what, lost as RequestError)}, and reading it back shows it was not recorded. GitHub may ` +
      `be having trouble; re-run the job to complete the step.`,
    { cause: lost },
  );
}

/** {@link writeGuarded} for a write that is harmless to repeat: one call, the client's retries resending it. */
async function sendRepeatable<T>(write: GuardedWrite<T>): Promise<T> {
  try {
    return await write.send({});
  } catch (error) {
    if (!isLostAnswer(error)) throw error;
    throw new TransientError(
      `${lostWrite(write.what, error as RequestError)} after retries. GitHub may be having trouble; re-run ` +
        `the job to complete the step.`,
      { cause: error },
    );
  }
}

/**
 * What became of a write whose answer was lost, in a few words: `GitHub answered 503 "Service Unavailable" to the
 * write of … (POST /repos/o/r/deployments)`, or `GitHub did not answer the write of … (POST …: <why>)`.
 */
function lostWrite(what: string, error: RequestError): string {
  const { method, path } = requestLine(error);
  return error.response
    ? `GitHub answered ${error.status} "${githubMessageOf(error)}" to the write of ${what} (${method} ${path})`
    : `GitHub did not answer the write of ${what} (${method} ${path}: ${error.message})`;
}
