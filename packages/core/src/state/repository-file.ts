import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { RepositoryRef } from './repository.js';
import { hasHttpStatus } from '../github/http-status.js';

/**
 * The text of the file at `path` in the repository at `ref` (a sha, branch or tag), read through the contents
 * API (one request); undefined when there is no such file at that ref (404). Used when the workflow did not
 * check the repository out. A directory, a submodule or a file over GitHub's 1 MB contents limit is a
 * {@link UserError} naming the path.
 */
export async function readRepositoryFile(
  client: GitHubClient,
  repository: RepositoryRef,
  path: string,
  ref: string,
): Promise<string | undefined> {
  let response;
  try {
    response = await client.rest.repos.getContent({ ...repository, path, ref });
  } catch (error) {
    if (hasHttpStatus(error, 404)) return undefined;
    throw error;
  }
  const where = `in ${repository.owner}/${repository.repo} at ${ref.length === 40 ? ref.slice(0, 7) : ref}`;
  const data = response.data;
  if (Array.isArray(data)) {
    throw new UserError(`'${path}' ${where} is a directory, not a file. Give the path of a file.`);
  }
  if (data.type !== 'file') {
    throw new UserError(`'${path}' ${where} is a ${data.type}, not a file. Give the path of a file.`);
  }
  if (!('content' in data) || typeof data.content !== 'string' || data.encoding !== 'base64') {
    throw new UserError(
      `'${path}' ${where} is too large to read through the contents API (over 1 MB). ` +
        'Check the repository out before this step (actions/checkout) so the file is read from the workspace.',
    );
  }
  return Buffer.from(data.content, 'base64').toString('utf8');
}
