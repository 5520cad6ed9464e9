/**
 * The HTTP server: records each request, applies faults, checks authentication, the repository and the request
 * against the OpenAPI description, runs the route handler and checks its answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GENERIC_DOCUMENTATION_URL, GitHubApiError, githubErrorBody } from './errors.js';
import type { FaultInjector, FaultPlan } from './faults.js';
import { describeGraphqlOperation, graphqlOperationOf } from './graphql.js';
import type { OpenApiValidator } from './openapi-validator.js';
import { GitHubApiErrorWithHeaders } from './ref-write-rules.js';
import type { RequestLog } from './request-log.js';
import type { EmulatorState, HandlerReply, RouteHandler } from './route-handler.js';
import type { RouteMatch, Router } from './router.js';
import type { RecordedRequest, ValidationProblem } from './types.js';

/** What the server works with. */
export interface ServerDependencies {
  router: Router<RouteHandler>;
  state: () => EmulatorState;
  log: RequestLog;
  faults: FaultInjector;
  /** Absent when validation is off. */
  validator?: OpenApiValidator;
  /** Where validation problems are collected. */
  problems: ValidationProblem[];
}

const GRAPHQL_TEMPLATE = '/graphql';
const RATE_LIMIT = 5000;

/** Serves the emulated API on 127.0.0.1 at a random port. */
export class EmulatorServer {
  private readonly server: Server;
  private handled = 0;

  constructor(private readonly dependencies: ServerDependencies) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        console.error('github emulator: unexpected error', error);
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
  }

  /** How many requests were answered (the rate-limit headers count them): read and set by checkpoints. */
  get answered(): number {
    return this.handled;
  }

  set answered(count: number) {
    this.handled = count;
  }

  /** Starts listening and returns the base URL (`http://127.0.0.1:<port>`). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        const { port } = this.server.address() as AddressInfo;
        resolve(`http://127.0.0.1:${port}`);
      });
    });
  }

  /** Stops accepting connections and closes the open ones (keep-alive included). */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    const state = this.dependencies.state();
    // One reading of the refs serves the whole request (until it writes one).
    const letGoOfRefs = state.git.holdRefs();
    try {
      await this.serve(request, response, rawBody, state);
    } finally {
      letGoOfRefs();
    }
  }

  private async serve(
    request: IncomingMessage,
    response: ServerResponse,
    rawBody: Buffer,
    state: EmulatorState,
  ): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', state.repository.apiUrl);
    const entry = this.dependencies.log.begin({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    });
    const match = this.dependencies.router.match(method, url.pathname);
    if (match) entry.route = match.route.template;
    // Known before any fault, so that a faulted GraphQL query is still not counted as a write.
    if (entry.route === GRAPHQL_TEMPLATE) {
      const operation = graphqlOperationIn(rawBody);
      if (operation) entry.graphqlOperation = operation;
    }

    const fault = this.dependencies.faults.plan(method, entry.route);
    if (fault) {
      entry.fault = fault.description;
      let clientGone = false;
      let wake: (() => void) | undefined;
      response.on('close', () => {
        if (response.writableFinished) return;
        clientGone = true;
        wake?.();
      });
      // A client giving up ends the delay at once: its request is dropped unhandled either way.
      if (fault.delayMs > 0) await sleep(fault.delayMs, (stop) => (wake = stop));
      // A client that gave up during the delay (its timeout) has its request dropped unhandled, as a
      // server that never got to it would.
      if (clientGone) {
        entry.status = 0;
        entry.fault = `${fault.description}; client gave up, not handled`;
        return;
      }
      if (fault.timing === 'before') return this.answerWithFault(fault, entry, request, response);
    }

    const reply = await this.process(method, url, rawBody, request, match, entry, state);
    if (fault?.timing === 'after') return this.answerWithFault(fault, entry, request, response);
    this.send(response, method, reply, entry);
  }

  /** Runs every check and the handler; never throws. */
  private async process(
    method: string,
    url: URL,
    rawBody: Buffer,
    request: IncomingMessage,
    match: RouteMatch<RouteHandler> | undefined,
    entry: RecordedRequest,
    state: EmulatorState,
  ): Promise<HandlerReply> {
    const template = match?.route.template;
    const documentationUrl =
      (template && this.dependencies.validator?.documentationUrl(method, template)) || undefined;
    const error = (status: number, message: string) => ({
      status,
      body: githubErrorBody(status, message, documentationUrl ?? GENERIC_DOCUMENTATION_URL),
    });

    if (!isAuthenticated(request)) return error(401, 'Requires authentication');
    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
        entry.requestBody = body;
      } catch {
        return error(400, 'Problems parsing JSON');
      }
    }
    if (!match || !template) return error(404, 'Not Found');
    const { parameters } = match;
    if ('owner' in parameters && !state.repository.isThisRepository(parameters.owner, parameters.repo)) {
      return error(404, 'Not Found');
    }

    const validator = template === GRAPHQL_TEMPLATE ? undefined : this.dependencies.validator;
    if (validator) {
      const queryProblems = validator.validateQuery(method, template, entry.query);
      const bodyProblems =
        method === 'GET' || method === 'HEAD' ? [] : validator.validateRequestBody(method, template, body);
      this.recordProblem(entry, 'query', queryProblems);
      this.recordProblem(entry, 'request-body', bodyProblems);
      const problems = [...queryProblems, ...bodyProblems];
      if (problems.length > 0) return error(422, `Invalid request.\n\n${problems.join('\n')}`);
    }

    let reply: HandlerReply;
    try {
      reply = await match.route.handler(
        {
          method,
          url,
          parameters,
          query: entry.query,
          body,
          accept: String(request.headers.accept ?? '').toLowerCase(),
        },
        { ...state, callerToken: tokenOf(request) },
      );
    } catch (thrown) {
      if (!(thrown instanceof GitHubApiError)) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        this.recordProblem(entry, 'route', [`handler failed: ${message}`]);
        return error(500, `GitHub emulator error: ${message}`);
      }
      reply = { status: thrown.status, body: thrown.toBody(documentationUrl ?? GENERIC_DOCUMENTATION_URL) };
      if (thrown instanceof GitHubApiErrorWithHeaders) reply.headers = thrown.headers;
    }
    for (const problem of reply.problems ?? []) this.recordProblem(entry, problem.kind, problem.messages);
    if (validator && reply.raw === undefined) {
      this.recordProblem(
        entry,
        'response',
        validator.validateResponse(method, template, reply.status, reply.body),
        reply.status,
      );
    }
    return reply;
  }

  private recordProblem(
    entry: RecordedRequest,
    kind: ValidationProblem['kind'],
    messages: string[],
    status?: number,
  ): void {
    if (messages.length === 0) return;
    const problem: ValidationProblem = {
      kind,
      method: entry.method,
      route: entry.route,
      path: entry.path,
      messages,
    };
    if (status !== undefined) problem.status = status;
    this.dependencies.problems.push(problem);
    entry.problems.push(...messages.map((message) => `${kind}: ${message}`));
  }

  private answerWithFault(
    fault: FaultPlan,
    entry: RecordedRequest,
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    if (fault.drop) {
      entry.status = 0;
      request.socket.destroy();
      return;
    }
    this.send(
      response,
      entry.method,
      { status: fault.status, body: fault.body, headers: fault.headers },
      entry,
    );
  }

  private send(response: ServerResponse, method: string, reply: HandlerReply, entry: RecordedRequest): void {
    this.handled += 1;
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `EMU0:${this.handled.toString(16).toUpperCase()}`,
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - this.handled)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(this.handled),
      'x-ratelimit-resource': entry.route === GRAPHQL_TEMPLATE ? 'graphql' : 'core',
    };
    let payload: Buffer | undefined;
    if (reply.raw !== undefined) {
      payload = reply.raw;
      headers['content-type'] = reply.contentType ?? 'application/octet-stream';
    } else if (reply.body !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.body));
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    if (payload) headers['content-length'] = String(payload.length);
    Object.assign(headers, lowerCaseKeys(reply.headers ?? {}));
    entry.status = reply.status;
    response.writeHead(reply.status, headers);
    response.end(method === 'HEAD' ? undefined : payload);
  }
}

/** The operation of a GraphQL request body (`mutation MoveTag`), `undefined` when the body is not one. */
function graphqlOperationIn(rawBody: Buffer): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  const operation = graphqlOperationOf(body);
  return operation && describeGraphqlOperation(operation);
}

function isAuthenticated(request: IncomingMessage): boolean {
  return tokenOf(request) !== undefined;
}

/** The credential of the `Authorization` header (`token <t>` or `Bearer <t>`), `undefined` without one. */
function tokenOf(request: IncomingMessage): string | undefined {
  return /^(?:token|bearer)\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Waits `milliseconds`, or less when the function handed to `onStop` is called first. */
function sleep(milliseconds: number, onStop: (stop: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    onStop(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
