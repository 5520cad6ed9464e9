/**
 * Replays a fixture's requests against another API (the emulator) and compares the answers with the recorded
 * ones on the fields each request names (`compare`). Requests after one that could not be sent or captured are
 * not replayed: they depend on it.
 */
import { answerView, FIXTURE_FORMAT, performExchange, type Fixture } from './fixture.js';
import type { Endpoint } from './http.js';
import { canonicalJson, select } from './json-path.js';
import { Normalizer } from './normalize.js';

/** Where to replay: the API, the repository, and the commits standing for the fixture's roles. */
export interface ReplayTarget {
  endpoint: Endpoint;
  owner: string;
  repo: string;
  /** Placeholder (`<commit:head>`) → sha in the target repository. */
  roles: Record<string, string>;
}

/** One field whose replayed value differs from the recorded one. */
export interface Difference {
  /** Index of the request in the fixture (0-based), `-1` for the fixture as a whole. */
  exchange: number;
  step: string;
  path: string;
  recorded: unknown;
  replayed: unknown;
}

export interface ReplayResult {
  /** Requests sent. */
  replayed: number;
  /** Requests marked `replay: false`. */
  skipped: number;
  /** Fields compared, over all requests. */
  fieldsCompared: number;
  differences: Difference[];
}

/** Replays every request of `fixture` against `target` and lists the differences. */
export async function replayFixture(fixture: Fixture, target: ReplayTarget): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: 0, skipped: 0, fieldsCompared: 0, differences: [] };
  if (fixture.format !== FIXTURE_FORMAT) {
    result.differences.push(whole('format', FIXTURE_FORMAT, fixture.format));
    return result;
  }
  const normalizer = new Normalizer({
    apiUrl: target.endpoint.apiUrl,
    owner: target.owner,
    repo: target.repo,
  });
  for (const role of Object.keys(fixture.roles)) {
    const sha = target.roles[role];
    if (sha === undefined) result.differences.push(whole(`roles.${role}`, 'a commit', undefined));
    else normalizer.bind(role, sha);
  }
  if (result.differences.length > 0) return result;
  for (const [index, exchange] of fixture.exchanges.entries()) {
    if (exchange.replay === false) {
      result.skipped += 1;
      continue;
    }
    let replayed;
    try {
      replayed = (await performExchange(target.endpoint, normalizer, exchange)).recorded;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.differences.push({
        exchange: index,
        step: exchange.step,
        path: '(request)',
        recorded: 'an answer',
        replayed: message,
      });
      return result;
    }
    result.replayed += 1;
    for (const path of exchange.compare) {
      result.fieldsCompared += 1;
      const recorded = select(answerView(exchange.answer), path);
      const actual = select(answerView(replayed), path);
      if (canonicalJson(recorded) !== canonicalJson(actual)) {
        result.differences.push({ exchange: index, step: exchange.step, path, recorded, replayed: actual });
      }
    }
  }
  return result;
}

function whole(path: string, recorded: unknown, replayed: unknown): Difference {
  return { exchange: -1, step: '(fixture)', path, recorded, replayed };
}

/** The differences as readable lines: request, step, field, recorded and replayed values. */
export function formatDifferences(name: string, differences: Difference[]): string {
  return differences
    .map((difference) => {
      const where =
        difference.exchange < 0 ? name : `${name} #${difference.exchange + 1} "${difference.step}"`;
      return (
        `${where}: ${difference.path}\n` +
        `    recorded: ${canonicalJson(difference.recorded)}\n` +
        `    replayed: ${canonicalJson(difference.replayed)}`
      );
    })
    .join('\n');
}
