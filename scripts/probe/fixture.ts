/**
 * The fixture format: what one probe asked GitHub and what came back, normalized (see `normalize.ts`), with
 * the fields that matter named per request. The probe records fixtures with {@link ProbeSession}; the emulator's
 * tests replay them (`replay.ts`) through the same {@link performExchange}.
 */
import { select } from './json-path.js';
import { send, type Endpoint, type HttpAnswer, type ProbeRequest } from './http.js';
import type { Normalizer } from './normalize.js';

/** Version of the fixture format. */
export const FIXTURE_FORMAT = 1;

/** The answer headers a fixture keeps (the others vary per request or per server). */
export const RECORDED_HEADERS = ['x-accepted-github-permissions', 'location'] as const;

/** One request of a probe, as written by the probe (placeholders, not values). */
export interface ExchangeSpec {
  /** What this request is for. */
  step: string;
  request: ProbeRequest;
  /** Paths (`json-path.ts`) into `{status, headers, body}` of the answer that a replay must reproduce. */
  compare: string[];
  /** Placeholders bound from this answer (`{'<deployment:order>': 'body.id'}`), for later requests. */
  capture?: Record<string, string>;
  /**
   * `false`: the answer depends on history a fresh emulator cannot have (deployments made by workflow runs);
   * replays skip the request. Default true.
   */
  replay?: boolean;
  /** How the recorded body was reduced, when it is not the whole normalized answer. */
  note?: string;
}

/** The recorded answer: status, the kept headers, and the normalized body. */
export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface RecordedExchange extends ExchangeSpec {
  answer: RecordedAnswer;
}

/** Where and how a fixture was recorded. */
export interface RecordingInfo {
  /** ISO 8601 time of the recording. */
  at: string;
  /** `github.com`, `emulator` (the answers carried the emulator's request ids) or `other` (another API base). */
  target: 'github.com' | 'emulator' | 'other';
  apiUrl: string;
  /** `owner/name` of the sandbox repository. */
  repository: string;
  /** Whether the token was declared to hold the `workflows` permission (`GITHUB_TOKEN` never does). */
  tokenHasWorkflowsPermission: boolean;
  /** The command that recorded it. */
  tool: string;
}

/** One probe's fixture file, `packages/emulator/fixtures/github/<probe>.json`. */
export interface Fixture {
  format: typeof FIXTURE_FORMAT;
  probe: string;
  /** The question the probe asks. */
  question: string;
  recorded: RecordingInfo;
  /** The placeholders of the sandbox's history the requests use, and what each stands for. */
  roles: Record<string, string>;
  exchanges: RecordedExchange[];
  /** What the answers say, in the probe's words (for readers; replays compare the exchanges). */
  findings: Record<string, unknown>;
}

/** The answer as the paths of {@link ExchangeSpec.compare} and {@link ExchangeSpec.capture} see it. */
export function answerView(answer: HttpAnswer | RecordedAnswer): Record<string, unknown> {
  return { status: answer.status, headers: answer.headers, body: answer.body };
}

/**
 * Sends one request (placeholders filled in), binds its captures, and returns the raw answer and its recorded
 * form. Throws when a capture finds no string or number.
 */
export async function performExchange(
  endpoint: Endpoint,
  normalizer: Normalizer,
  spec: ExchangeSpec,
): Promise<{ raw: HttpAnswer; recorded: RecordedAnswer }> {
  const raw = await send(endpoint, normalizer.substitute(spec.request));
  for (const [placeholder, path] of Object.entries(spec.capture ?? {})) {
    const value = select(answerView(raw), path);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(
        `"${spec.step}": no ${path} to capture as ${placeholder} in the answer ` +
          `(status ${raw.status}: ${JSON.stringify(raw.body).slice(0, 300)})`,
      );
    }
    normalizer.bind(placeholder, value);
  }
  const headers: Record<string, string> = {};
  for (const name of RECORDED_HEADERS) {
    const value = raw.headers[name];
    if (value !== undefined) headers[name] = normalizer.normalizeString(value);
  }
  return { raw, recorded: { status: raw.status, headers, body: normalizer.normalize(raw.body) } };
}

/** What a probe created, removed after it (`sandbox.ts`). */
export interface CreatedResources {
  /** Full ref names (`refs/tags/probe/swap`). */
  tags: Set<string>;
  deploymentIds: Set<number>;
}

/** One probe's run: its requests are sent and recorded in order. */
export class ProbeSession {
  readonly exchanges: RecordedExchange[] = [];
  readonly created: CreatedResources = { tags: new Set(), deploymentIds: new Set() };

  constructor(
    readonly endpoint: Endpoint,
    readonly normalizer: Normalizer,
    /** Milliseconds to wait where GitHub's one-second timestamps would otherwise tie. */
    readonly pauseMs: number,
  ) {}

  /** Sends and records one request; returns the raw answer. */
  async exchange(spec: ExchangeSpec): Promise<HttpAnswer> {
    const { raw, recorded } = await performExchange(this.endpoint, this.normalizer, spec);
    this.exchanges.push({ ...spec, answer: recorded });
    return raw;
  }

  /**
   * Sends and records a request whose answer no fresh emulator can reproduce (`replay: false`), keeping only
   * `reduce(body)` of it, normalized.
   */
  async observe(spec: ExchangeSpec, reduce: (body: unknown) => unknown): Promise<HttpAnswer> {
    const raw = await send(this.endpoint, this.normalizer.substitute(spec.request));
    const answer = { status: raw.status, headers: {}, body: this.normalizer.normalize(reduce(raw.body)) };
    this.exchanges.push({ ...spec, replay: false, compare: [], answer });
    return raw;
  }

  /** Waits {@link pauseMs}. */
  pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.pauseMs));
  }
}
