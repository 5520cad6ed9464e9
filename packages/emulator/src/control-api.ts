/**
 * The control API: plain HTTP routes under `/_emulator/` that change or read the emulator's own state from outside
 * its process (a shell, curl, another tool) — record a run's approval, inject and clear faults, read the request
 * log. They are no GitHub routes: served before the emulator sees the request, they are never logged, never
 * faulted, need no token and are not checked against the OpenAPI description.
 */
import type { Emulator } from './emulator.js';
import { allRoutes } from './routes/index.js';
import type { FaultRule } from './types.js';

/** The prefix of every control route. */
export const CONTROL_PREFIX = '/_emulator';

/** What the control API may touch of an emulator. */
export type ControlTarget = Pick<
  Emulator,
  'faults' | 'seed' | 'requests' | 'requestCounts' | 'resetLog' | 'problems' | 'fullName'
>;

/** A control route's answer: a status and a JSON body (none for 204). */
export interface ControlReply {
  status: number;
  body?: unknown;
}

/** A request the control API refuses, with what to send instead. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The fields a fault may have, with their JSON types, as `POST /_emulator/faults` takes them. */
const FAULT_FIELDS: Record<string, 'string' | 'number' | 'boolean' | 'object'> = {
  route: 'string',
  method: 'string',
  status: 'number',
  retryAfter: 'number',
  delayMs: 'number',
  drop: 'boolean',
  afterHandling: 'boolean',
  times: 'number',
  nth: 'number',
  headers: 'object',
  body: 'object',
};

/** The control API of one emulator: answers a request under {@link CONTROL_PREFIX}. */
export class ControlApi {
  /** The rules added through this API (the injector keeps no list one could read back). */
  private readonly addedFaults: FaultRule[] = [];

  constructor(private readonly emulator: ControlTarget) {}

  /** Answers `method path` (the path below the prefix included) with the parsed JSON `body`; never throws. */
  handle(method: string, path: string, query: URLSearchParams, body: unknown): ControlReply {
    try {
      return this.route(method.toUpperCase(), path.replace(/\/+$/, ''), query, body);
    } catch (error) {
      if (error instanceof ControlError) return { status: error.status, body: { message: error.message } };
      throw error;
    }
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown): ControlReply {
    const approvals = /^\/_emulator\/runs\/([^/]+)\/approvals$/.exec(path);
    if (approvals && method === 'POST') return this.recordApproval(approvals[1] ?? '', body);
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /_emulator':
        return { status: 200, body: this.index() };
      case 'POST /_emulator/faults':
        return this.addFault(body);
      case 'GET /_emulator/faults':
        return { status: 200, body: { faults: this.addedFaults } };
      case 'DELETE /_emulator/faults':
        return this.clearFaults();
      case 'GET /_emulator/requests':
        return { status: 200, body: this.requestLog(query) };
      case 'GET /_emulator/requests/counts':
        return { status: 200, body: this.emulator.requestCounts() };
      case 'DELETE /_emulator/requests':
        this.emulator.resetLog();
        return { status: 204 };
      case 'GET /_emulator/problems':
        return { status: 200, body: { problems: this.emulator.problems } };
    }
    throw new ControlError(
      404,
      `No control route ${key}. GET ${CONTROL_PREFIX} lists them (see packages/emulator/README.md, "Control API").`,
    );
  }

  /** What `GET /_emulator` answers: the repository served and every control route. */
  private index() {
    return {
      repository: this.emulator.fullName,
      routes: [
        'POST /_emulator/runs/{run_id}/approvals  {"environment", "user", "comment"?, "state"?: "approved"|"rejected"}',
        'POST /_emulator/faults  {"route"?, "method"?, "status"?, "retryAfter"?, "delayMs"?, "drop"?, "afterHandling"?, "times"?, "nth"?, "headers"?, "body"?}',
        'GET /_emulator/faults',
        'DELETE /_emulator/faults',
        'GET /_emulator/requests[?since=N]',
        'GET /_emulator/requests/counts',
        'DELETE /_emulator/requests',
        'GET /_emulator/problems',
      ],
    };
  }

  /** `POST /_emulator/runs/{run_id}/approvals`: a review of the run, as `GET .../actions/runs/{run_id}/approvals` serves it. */
  private recordApproval(runIdText: string, body: unknown): ControlReply {
    const runId = Number(runIdText);
    if (!/^\d+$/.test(runIdText) || !Number.isSafeInteger(runId) || runId < 1) {
      throw new ControlError(
        422,
        `run_id '${runIdText}' is not a run id: use a positive whole number, e.g. 1.`,
      );
    }
    const fields = objectBody(body, 'the approval');
    const environment = requiredText(fields, 'environment', 'the environment approved, e.g. "production"');
    const user = requiredText(fields, 'user', 'the login of the reviewer, e.g. "octocat"');
    const comment = optionalText(fields, 'comment') ?? '';
    const state = optionalText(fields, 'state') ?? 'approved';
    if (state !== 'approved' && state !== 'rejected') {
      throw new ControlError(
        422,
        `state '${state}' is not a review state: use "approved" (default) or "rejected".`,
      );
    }
    this.emulator.seed.approvals(runId, [{ environment, user, comment, state }]);
    return { status: 201, body: { run_id: runId, environment, user, state, comment } };
  }

  /** `POST /_emulator/faults`: adds one fault rule, checked field by field. */
  private addFault(body: unknown): ControlReply {
    const rule = faultRuleOf(objectBody(body, 'the fault'));
    this.emulator.faults.add(rule);
    this.addedFaults.push(rule);
    return { status: 201, body: { fault: rule, faults: this.addedFaults.length } };
  }

  private clearFaults(): ControlReply {
    const cleared = this.addedFaults.length;
    this.emulator.faults.clear();
    this.addedFaults.length = 0;
    return { status: 200, body: { cleared } };
  }

  /** `GET /_emulator/requests`: the log (no headers are ever recorded), from entry `since` (0-based) on. */
  private requestLog(query: URLSearchParams) {
    const sinceText = query.get('since') ?? '0';
    const since = Number(sinceText);
    if (!/^\d+$/.test(sinceText)) {
      throw new ControlError(
        422,
        `since '${sinceText}' is not a position in the log: use 0 or more, e.g. ?since=10.`,
      );
    }
    const entries = this.emulator.requests.slice(since).map((entry) => ({
      method: entry.method,
      route: entry.route,
      path: entry.path,
      query: entry.query,
      status: entry.status,
      ...(entry.graphqlOperation ? { graphqlOperation: entry.graphqlOperation } : {}),
      ...(entry.fault ? { fault: entry.fault } : {}),
      ...(entry.problems.length > 0 ? { problems: entry.problems } : {}),
    }));
    return { total: this.emulator.requests.length, since, requests: entries };
  }
}

/** A JSON object body, or a 400 naming what was expected. */
function objectBody(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ControlError(400, `The body must be a JSON object describing ${what}.`);
  }
  return body as Record<string, unknown>;
}

function requiredText(fields: Record<string, unknown>, name: string, meaning: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ControlError(422, `"${name}" is required: ${meaning}.`);
  }
  return value.trim();
}

function optionalText(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ControlError(422, `"${name}" must be a string.`);
  return value;
}

/** The templates the emulator serves, as `METHOD template`, for checking a fault's route. */
function servedRoutes(): Set<string> {
  return new Set(allRoutes.map((route) => `${route.method} ${route.template}`));
}

/**
 * A fault rule from the body of `POST /_emulator/faults`: the {@link FaultRule} fields, plus `method` (joined to a
 * bare `route`) and `retryAfter` (seconds, sent as the `retry-after` header). The route must be one the emulator
 * serves, so that a typo does not leave a fault that never fires.
 */
export function faultRuleOf(fields: Record<string, unknown>): FaultRule {
  for (const [name, value] of Object.entries(fields)) {
    const type = FAULT_FIELDS[name];
    if (type === undefined) {
      throw new ControlError(
        422,
        `Unknown fault field "${name}": use ${Object.keys(FAULT_FIELDS).join(', ')}.`,
      );
    }
    if (typeof value !== type || value === null) throw new ControlError(422, `"${name}" must be a ${type}.`);
  }
  const route = routeOf(fields.route as string | undefined, fields.method as string | undefined);
  const rule: FaultRule = {};
  if (route !== undefined) rule.route = route;
  for (const name of ['status', 'delayMs', 'times', 'nth'] as const) {
    const value = fields[name] as number | undefined;
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < (name === 'delayMs' ? 0 : 1)) {
      throw new ControlError(
        422,
        `"${name}" must be a whole number${name === 'delayMs' ? ' of 0 or more' : ' of 1 or more'}.`,
      );
    }
    rule[name] = value;
  }
  if (rule.status !== undefined && (rule.status < 100 || rule.status > 599)) {
    throw new ControlError(422, `"status" ${rule.status} is not an HTTP status: use 100 to 599, e.g. 502.`);
  }
  if (fields.drop === true) rule.drop = true;
  if (fields.afterHandling === true) rule.afterHandling = true;
  const headers = { ...((fields.headers as Record<string, string> | undefined) ?? {}) };
  if (fields.retryAfter !== undefined) headers['retry-after'] = String(fields.retryAfter);
  if (Object.keys(headers).length > 0) rule.headers = headers;
  if (fields.body !== undefined) rule.body = fields.body;
  if (rule.status === undefined && !rule.drop && !rule.afterHandling && rule.delayMs === undefined) {
    throw new ControlError(
      422,
      'The fault does nothing: give "status", "drop": true, "delayMs" or "afterHandling": true.',
    );
  }
  return rule;
}

/** `METHOD template` from a route and an optional method, checked against the routes served. */
function routeOf(route: string | undefined, method: string | undefined): string | undefined {
  if (route === undefined) {
    if (method !== undefined) throw new ControlError(422, '"method" needs a "route" (an OpenAPI template).');
    return undefined;
  }
  const trimmed = route.trim();
  const hasMethod = /^[A-Za-z]+\s/.test(trimmed);
  const full = hasMethod ? trimmed.replace(/^(\S+)\s+/, (_, m: string) => `${m.toUpperCase()} `) : trimmed;
  const candidates = hasMethod ? [full] : method ? [`${method.toUpperCase()} ${full}`] : [];
  const served = servedRoutes();
  if (hasMethod || method) {
    if (!served.has(candidates[0] ?? '')) throw unknownRoute(candidates[0] ?? full, served);
    return candidates[0];
  }
  if (![...served].some((known) => known.endsWith(` ${full}`))) throw unknownRoute(full, served);
  return full;
}

function unknownRoute(route: string, served: Set<string>): ControlError {
  return new ControlError(
    422,
    `"route" ${route} is not served by the emulator, so the fault would never fire. Use a method and OpenAPI ` +
      `template, one of: ${[...served].sort().join('; ')}.`,
  );
}
