/**
 * The front door of a command-line emulator: one HTTP server on 127.0.0.1 at a chosen port that answers the
 * control API (`/_emulator/...`) itself and passes every other request to the emulator unchanged. It exists so
 * that the control routes bypass the emulator's request log, faults, token check and OpenAPI validation (a fault
 * on every route must not make the fault impossible to clear), and so that the port can be chosen.
 *
 * Answers come back as the emulator sent them, with the emulator's own address in JSON bodies and in the `link`
 * and `location` headers replaced by the front door's. A connection the emulator drops (a `drop` fault) is
 * dropped for the client too; a client giving up aborts the request to the emulator (a `delayMs` fault then sees
 * it gave up).
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, type ControlApi } from './control-api.js';

/** A running front door. */
export interface FrontDoor {
  /** `http://127.0.0.1:<port>`: the URL to hand out as `GITHUB_API_URL`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Options of {@link openFrontDoor}. */
export interface FrontDoorOptions {
  /** The emulator's own URL (`emulator.url`). */
  target: string;
  control: ControlApi;
  /** The port to listen on; 0 picks a free one. */
  port: number;
}

/** Starts listening on 127.0.0.1:`port`; rejects when the port is taken (`EADDRINUSE`). */
export async function openFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const target = new URL(options.target);
  const addresses = { own: '' };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', target).pathname;
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      void answerControl(options.control, request, response);
    } else {
      passOn(request, response, target, addresses.own);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  addresses.own = `http://127.0.0.1:${port}`;
  return {
    url: addresses.own,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Why a control request is refused, or undefined: it must name this server by its loopback address (a page served
 * elsewhere that rebinds its own name to 127.0.0.1 does not), and must not come from a web page (browsers send
 * `Origin` with every cross-site POST; curl and scripts do not).
 */
export function controlRequestRefusal(headers: IncomingMessage['headers'], port: number): string | undefined {
  const host = (headers.host ?? '').toLowerCase();
  const loopback = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!loopback.includes(host)) {
    return `The control API answers requests to 127.0.0.1:${port} or localhost:${port} only, not '${host}'.`;
  }
  if (headers.origin !== undefined) {
    return 'The control API does not answer web pages (the request has an Origin header): use curl or a script.';
  }
  return undefined;
}

/** Reads the body, lets the control API answer, sends its JSON. */
async function answerControl(control: ControlApi, request: IncomingMessage, response: ServerResponse) {
  const refusal = controlRequestRefusal(request.headers, request.socket.localPort ?? 0);
  if (refusal) return sendJson(response, 403, { message: refusal });
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return sendJson(response, 400, {
      message: 'The body is not JSON: send a JSON object (curl -d \'{"...": ...}\').',
    });
  }
  const url = new URL(request.url ?? '/', 'http://control');
  const reply = control.handle(request.method ?? 'GET', url.pathname, url.searchParams, body);
  sendJson(response, reply.status, reply.body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const payload = Buffer.from(`${JSON.stringify(body, null, 2)}\n`);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': payload.length,
  });
  response.end(payload);
}

/** Sends the request on to the emulator and its answer back, addresses rewritten. */
function passOn(request: IncomingMessage, response: ServerResponse, target: URL, own: string): void {
  const upstream = forward({
    host: target.hostname,
    port: target.port,
    method: request.method,
    path: request.url,
    headers: request.headers,
    agent: false,
  });
  // The client gave up (its timeout): so does the request to the emulator.
  response.on('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  upstream.on('error', () => request.socket.destroy());
  upstream.on('response', (answer) => {
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('error', () => request.socket.destroy());
    answer.on('end', () => {
      const origin = originPattern(target.origin);
      const headers = rewriteHeaders(answer.headers, origin, own);
      const isJson = String(answer.headers['content-type'] ?? '').includes('json');
      const payload = isJson
        ? Buffer.from(Buffer.concat(chunks).toString('utf8').replace(origin, own))
        : Buffer.concat(chunks);
      if (request.method !== 'HEAD' && answer.headers['content-length'] !== undefined)
        headers['content-length'] = String(payload.length);
      response.writeHead(answer.statusCode ?? 502, headers);
      response.end(payload);
    });
  });
  request.pipe(upstream);
}

/** The answer's headers, the emulator's origin replaced by the front door's in `link` and `location`. */
function rewriteHeaders(
  headers: IncomingMessage['headers'],
  origin: RegExp,
  own: string,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'connection' || name === 'keep-alive' || name === 'transfer-encoding')
      continue;
    result[name] = name === 'link' || name === 'location' ? String(value).replace(origin, own) : value;
  }
  return result;
}

/** Every occurrence of `origin` not followed by another digit (port 4000 is not the start of port 40001). */
function originPattern(origin: string): RegExp {
  return new RegExp(`${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`, 'g');
}
