import { spawn } from 'node:child_process';

/** What {@link runShellCommand} reports. */
export interface ShellCommandResult {
  exitCode: number | null;
  /** Set when the command was killed at its deadline. */
  timedOut: boolean;
  /** The last lines it printed (stdout and stderr), for reports. */
  tail: string[];
  durationMs: number;
}

/** Options of {@link runShellCommand}. */
export interface ShellCommandOptions {
  /** Each line the command prints, as it prints it. */
  onLine: (line: string) => void;
  /** Kill the command after this many milliseconds. Default: no limit. */
  timeoutMs?: number;
  /** Working directory. Default: the current one (the workspace in a job). */
  cwd?: string;
  /** How many of the last lines to keep. Default 20. */
  tailLines?: number;
  /** Variables added to the command's environment. */
  env?: Record<string, string>;
}

/**
 * The environment a command configured by the workflow runs with: the job's, without the action's own
 * inputs (`INPUT_*`, which hold the token), as a `run:` step would see it.
 */
export function commandEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('INPUT_')));
}

/**
 * Runs a command with `bash -e -o pipefail -c`, as a workflow `run:` step does, streaming its output line by
 * line. The command text comes from the workflow author; it is never built from untrusted data.
 */
export function runShellCommand(command: string, options: ShellCommandOptions): Promise<ShellCommandResult> {
  const started = Date.now();
  const keep = options.tailLines ?? 20;
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', command], {
      cwd: options.cwd,
      env: { ...commandEnvironment(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    const buffers = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', chunk: Buffer, flush = false) => {
      buffers[stream] += chunk.toString('utf8');
      const lines = buffers[stream].split('\n');
      buffers[stream] = flush ? '' : (lines.pop() ?? '');
      for (const line of flush ? lines.filter((text, index) => text || index < lines.length - 1) : lines) {
        options.onLine(line);
        tail.push(line);
        if (tail.length > keep) tail.shift();
      }
    };
    child.stdout.on('data', (chunk: Buffer) => take('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => take('stderr', chunk));
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      take('stdout', Buffer.alloc(0), true);
      take('stderr', Buffer.alloc(0), true);
      resolve({ exitCode: code, timedOut, tail, durationMs: Date.now() - started });
    });
  });
}

/** What a deploy or redeploy command is told about the release, as environment variables. */
export interface ReleaseVariables {
  environment: string;
  sha: string;
  version: string | null;
  deploymentId: number;
}

/**
 * The variables a deploy command gets: `RELEASE_ENVIRONMENT`, `RELEASE_SHA`, `RELEASE_VERSION` (empty when
 * unversioned) and `RELEASE_DEPLOYMENT_ID`. Commands read these instead of `${{ }}` expressions, so nothing
 * is pasted into the command text.
 */
export function releaseVariables(release: ReleaseVariables): Record<string, string> {
  return {
    RELEASE_ENVIRONMENT: release.environment,
    RELEASE_SHA: release.sha,
    RELEASE_VERSION: release.version ?? '',
    RELEASE_DEPLOYMENT_ID: String(release.deploymentId),
  };
}
