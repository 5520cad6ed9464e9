import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSampleValue } from '../../packages/core/src/checks/prometheus-answer.js';
import { isExecutable, onPath } from './executables.js';

/** A real Prometheus server on 127.0.0.1, scraping the targets it was started with. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`: the base URL a Prometheus check is given. */
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its configuration and storage. */
  close(): Promise<void>;
  /**
   * Waits until the instant query `query` returns samples whose values satisfy `predicate` (default: there is
   * at least one sample), polling every 200 ms.
   * @throws Error after `timeoutMs`, with the last answer.
   */
  waitForSamples(query: string, predicate?: (values: number[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** How long the server may take to answer `/-/ready`. */
const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 200;

/**
 * The Prometheus binary: `PROMETHEUS_PATH` when it names an executable, else `prometheus` on PATH (Debian's
 * package, which `scripts/ensure-test-servers.sh` installs). Undefined when there is none.
 */
export function prometheusBinary(): string | undefined {
  const fromEnvironment = process.env.PROMETHEUS_PATH;
  if (fromEnvironment) return isExecutable(fromEnvironment) ? fromEnvironment : undefined;
  return onPath('prometheus');
}

/** Why the tests that need Prometheus are skipped, or undefined when they can run. */
export function prometheusMissingReason(): string | undefined {
  if (prometheusBinary() !== undefined) return undefined;
  const fromEnvironment = process.env.PROMETHEUS_PATH;
  return fromEnvironment
    ? `PROMETHEUS_PATH=${fromEnvironment} is not an executable file`
    : 'Prometheus was not found (prometheus on PATH or PROMETHEUS_PATH); scripts/ensure-test-servers.sh ' +
        'installs Debian\'s "prometheus" package, or set PROMETHEUS_PATH';
}

/** A port of 127.0.0.1 that was free a moment ago (bound to port 0, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The configuration: one job scraping every target at the interval (the scrape timeout no longer than it). */
function configuration(scrapeTargets: string[], scrapeIntervalSeconds: number): string {
  return [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  scrape_timeout: ${scrapeIntervalSeconds}s`,
    `  evaluation_interval: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: test',
    '    static_configs:',
    `      - targets: [${scrapeTargets.map((target) => JSON.stringify(target)).join(', ')}]`,
    '',
  ].join('\n');
}

/**
 * Starts Prometheus with a configuration and a storage directory of its own in a temporary directory, listening
 * on a free port of 127.0.0.1, and resolves once it answers `/-/ready`. The process is killed on `close()` and,
 * should the test process end first, when it exits.
 * @throws Error when there is no Prometheus binary, or it exits or is not ready in time (with its last log lines).
 */
export async function startPrometheus(options: {
  scrapeTargets: string[];
  scrapeIntervalSeconds?: number;
}): Promise<PrometheusServer> {
  const binary = prometheusBinary();
  if (!binary) throw new Error(prometheusMissingReason());
  const directory = mkdtempSync(join(tmpdir(), 'prometheus-'));
  const configFile = join(directory, 'prometheus.yml');
  writeFileSync(configFile, configuration(options.scrapeTargets, options.scrapeIntervalSeconds ?? 1));
  const port = await freePort();
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) =>
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    process.off('exit', killOnExit);
    await stop(child);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child, log);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url,
    close,
    waitForSamples: (query, predicate, timeoutMs) => waitFor(url, query, predicate, timeoutMs),
  };
}

/** Polls `/-/ready` until it answers 200; fails when the process exits or the time is up. */
async function waitUntilReady(url: string, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.once('error', (error) => (exited = `could not start: ${error.message}`));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`prometheus ${exited}:\n${log.slice(-15).join('\n')}`);
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`prometheus was not ready within ${READY_TIMEOUT_MS} ms:\n${log.slice(-15).join('\n')}`);
}

/** Polls the instant query until its values satisfy `predicate`. */
async function waitFor(
  url: string,
  query: string,
  predicate: (values: number[]) => boolean = (values) => values.length > 0,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
      last = await response.text();
      const values = answerValues(JSON.parse(last));
      if (values && predicate(values)) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Prometheus did not return the samples wanted for ${query} within ${timeoutMs} ms: ${last}`,
      );
    }
    await sleep(POLL_MS);
  }
}

/** The values of an instant query answer (a vector's samples, or a scalar), or undefined for anything else. */
function answerValues(json: unknown): number[] | undefined {
  const data = (json as { data?: { resultType?: string; result?: unknown } } | null)?.data;
  const value = (pair: [number, string]) => parseSampleValue(pair[1]) ?? NaN;
  if (data?.resultType === 'scalar') return [value(data.result as [number, string])];
  if (data?.resultType !== 'vector' || !Array.isArray(data.result)) return undefined;
  return (data.result as Array<{ value: [number, string] }>).map((sample) => value(sample.value));
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
