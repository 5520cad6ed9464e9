/**
 * The repository a step runs against: `GITHUB_API_URL` and `GITHUB_REPOSITORY` from the environment (the first two
 * lines the emulator prints), and the head of its default branch, read from the API as a workflow's `GITHUB_SHA`.
 */
import { ActionUsageError } from './action-arguments.js';

/** Where the step's requests go. */
export interface EmulatorTarget {
  apiUrl: string;
  /** `owner/name`. */
  repository: string;
}

const START_HINT =
  'Start the emulator in another terminal (npm run --silent emulator -- --repo <your repository>) and export the first two lines ' +
  'it prints: export GITHUB_API_URL=http://127.0.0.1:<port> GITHUB_REPOSITORY=<owner>/<name>.';

/** Reads the two variables; throws {@link ActionUsageError} naming the missing or malformed one and the fix. */
export function emulatorTargetOf(env: NodeJS.ProcessEnv): EmulatorTarget {
  const apiUrl = env.GITHUB_API_URL?.trim() ?? '';
  const repository = env.GITHUB_REPOSITORY?.trim() ?? '';
  const missing = [!apiUrl && 'GITHUB_API_URL', !repository && 'GITHUB_REPOSITORY'].filter(Boolean);
  if (missing.length > 0) throw new ActionUsageError(`${missing.join(' and ')} not set. ${START_HINT}`);
  if (!/^https?:\/\/[^/\s]+/.test(apiUrl)) {
    throw new ActionUsageError(
      `GITHUB_API_URL '${apiUrl}' is not a URL: use the emulator's, e.g. http://127.0.0.1:3000.`,
    );
  }
  // Nothing is sent to a real GitHub: a shell in Codespaces or on a runner has these variables set to github.com.
  if (!isLoopback(apiUrl)) {
    throw new ActionUsageError(
      `GITHUB_API_URL '${apiUrl}' is not on this machine: npm run action talks to the local emulator only. ` +
        'Export the GITHUB_API_URL the emulator printed (http://127.0.0.1:<port>).',
    );
  }
  if (!/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/.test(repository)) {
    throw new ActionUsageError(
      `GITHUB_REPOSITORY '${repository}' is not owner/name: use the emulator's, e.g. local/shop.`,
    );
  }
  return { apiUrl: apiUrl.replace(/\/+$/, ''), repository };
}

/** Whether `url` names this machine: 127.0.0.1 (or 127.x.y.z), localhost or ::1. */
export function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** GETs `path` of the API as JSON; a failure names the emulator and what to check. */
async function getJson(
  target: EmulatorTarget,
  path: string,
  token: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(`${target.apiUrl}${path}`, {
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' },
    });
  } catch (error) {
    throw new ActionUsageError(
      `Cannot reach ${target.apiUrl} (${(error as Error).message}): is the emulator still running? ${START_HINT}`,
    );
  }
  if (!response.ok) {
    throw new ActionUsageError(
      `GET ${path} answered ${response.status}: check that GITHUB_REPOSITORY (${target.repository}) is the repository the emulator serves.`,
    );
  }
  return (await response.json()) as Record<string, unknown>;
}

/** The repository's default branch and the commit at its tip, as the emulator serves them. */
export async function defaultBranchHead(
  target: EmulatorTarget,
  token: string,
): Promise<{ branch: string; sha: string }> {
  const repository = await getJson(target, `/repos/${target.repository}`, token);
  const branch = String(repository.default_branch ?? '');
  const commit = await getJson(
    target,
    `/repos/${target.repository}/commits/${encodeURIComponent(branch)}`,
    token,
  );
  return { branch, sha: String(commit.sha ?? '') };
}
