import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isExecutable, onPath } from './executables.js';

/** A headless Chromium the tests can drive. */
export interface Chromium {
  path: string;
  /** What `chromium --version` printed. */
  version: string;
  /** Loads `url` and returns the DOM after rendering, serialised (`--dump-dom`). */
  dumpDom(url: string, options?: { timeoutMs?: number }): Promise<string>;
  /** Loads `url` in a window of the given size and writes a PNG of it to `pngPath` (`--screenshot`). */
  screenshot(
    url: string,
    pngPath: string,
    options: { width: number; height: number; timeoutMs?: number },
  ): Promise<void>;
}

/** Where Chromium was found, or why it cannot be used (to print when its tests are skipped). */
export type ChromiumLookup = { available: true; chromium: Chromium } | { available: false; reason: string };

/**
 * What every run needs on a closed network, as root: no sandbox (root), no GPU, no request of its own
 * (updates, sync, QUIC probes), a fresh profile.
 */
const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs Chromium once with a fresh profile; kills its whole process group when it outlives `timeoutMs`. */
function runChromium(path: string, args: string[], timeoutMs: number): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  return new Promise<string>((resolve, reject) => {
    const child = spawn(path, [...BASE_FLAGS, `--user-data-dir=${profile}`, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    const finish = (error: Error | undefined) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (error) reject(error);
      else resolve(Buffer.concat(stdout).toString('utf8'));
    };
    child.on('error', (error) => finish(new Error(`could not start ${path}: ${error.message}`)));
    child.on('close', (code, signal) => {
      const log = Buffer.concat(stderr).toString('utf8').split('\n').slice(-15).join('\n');
      if (timedOut)
        finish(new Error(`${path} ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${log}`));
      else if (code !== 0)
        finish(new Error(`${path} ${args.join(' ')} exited with ${code ?? signal}:\n${log}`));
      else finish(undefined);
    });
  });
}

function chromiumAt(path: string, version: string): Chromium {
  return {
    path,
    version,
    dumpDom: (url, options = {}) =>
      runChromium(path, ['--dump-dom', url], options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    async screenshot(url, pngPath, { width, height, timeoutMs = DEFAULT_TIMEOUT_MS }) {
      rmSync(pngPath, { force: true });
      await runChromium(
        path,
        [
          '--hide-scrollbars',
          '--force-device-scale-factor=1',
          `--window-size=${width},${height}`,
          `--screenshot=${pngPath}`,
          url,
        ],
        timeoutMs,
      );
      if (!existsSync(pngPath)) throw new Error(`${path} exited without writing the screenshot ${pngPath}`);
    },
  };
}

let cached: ChromiumLookup | undefined;

/**
 * Finds Chromium: `CHROMIUM_PATH`, else `/usr/bin/chromium` (Debian's package, which `.ci/run` installs), else
 * `chromium` on PATH; and checks that it starts (`--version`). Synchronous, so a test file can choose `it` or
 * `it.skip` while its tests are collected.
 */
export function findChromium(): ChromiumLookup {
  if (cached) return cached;
  const fromEnvironment = process.env.CHROMIUM_PATH;
  let path: string | undefined;
  if (fromEnvironment) {
    if (!isExecutable(fromEnvironment)) {
      cached = { available: false, reason: `CHROMIUM_PATH=${fromEnvironment} is not an executable file` };
      return cached;
    }
    path = fromEnvironment;
  } else {
    path = isExecutable('/usr/bin/chromium') ? '/usr/bin/chromium' : onPath('chromium');
  }
  if (!path) {
    cached = {
      available: false,
      reason:
        'Chromium was not found (/usr/bin/chromium, chromium on PATH or CHROMIUM_PATH); ' +
        '.ci/run installs Debian\'s "chromium" package, or set CHROMIUM_PATH',
    };
    return cached;
  }
  try {
    const version = execFileSync(path, ['--version'], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    cached = { available: true, chromium: chromiumAt(path, version) };
  } catch (error) {
    cached = {
      available: false,
      reason: `${path} --version failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
  return cached;
}
