import { describe, expect, it } from '@jest/globals';
import { RequestError } from '@octokit/request-error';
import { PermissionError, TransientError, UserError } from '../src/errors.js';
import { toActionableError } from '../src/github/api-error.js';
import { requiredPermission } from '../src/github/permissions.js';

function requestError(status: number, method: string, url: string, message: string, headers = {}) {
  return new RequestError(message, status, {
    request: { method: method as 'GET', url, headers: {} },
    response: { status, url, headers, data: { message } },
  });
}

const context = { owner: 'octo-org', repo: 'shop' };

describe('requiredPermission', () => {
  it.each([
    ['POST', '/repos/o/r/deployments', 'deployments: write'],
    ['POST', '/repos/o/r/deployments/5/statuses', 'deployments: write'],
    ['GET', '/repos/o/r/deployments', 'deployments: read'],
    ['PATCH', '/repos/o/r/git/refs/tags/env/production', 'contents: write'],
    ['POST', '/repos/o/r/releases', 'contents: write'],
    ['GET', '/repos/o/r/commits/main', 'contents: read'],
    ['GET', '/repos/o/r/actions/runs/1/approvals', 'actions: read'],
    ['POST', '/repos/o/r/statuses/abc', 'statuses: write'],
  ])('%s %s needs %s', (method, path, permission) => {
    expect(requiredPermission(method, path)).toBe(permission);
  });
});

describe('toActionableError', () => {
  it('names the permissions entry for a 403 not accessible by integration', () => {
    const error = toActionableError(
      requestError(
        403,
        'POST',
        'http://127.0.0.1:1/repos/octo-org/shop/deployments',
        'Resource not accessible by integration',
      ),
      context,
    );
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as PermissionError).message).toContain("'deployments: write'");
    expect((error as PermissionError).hint).toContain('permissions:\n    deployments: write');
  });

  it('says which repository and token for a 404 on the repository', () => {
    const error = toActionableError(
      requestError(404, 'GET', 'https://api.github.com/repos/octo-org/shop', 'Not Found'),
      context,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/Repository octo-org\/shop was not found with the token given/);
  });

  it('calls a 5xx after retries transient and says to re-run', () => {
    const error = toActionableError(
      requestError(502, 'POST', '/repos/octo-org/shop/deployments', 'Bad Gateway'),
      context,
    );
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/re-run the job/);
  });

  it('explains a rate limit with its reset time', () => {
    const error = toActionableError(
      requestError(403, 'GET', '/repos/octo-org/shop/deployments', 'API rate limit exceeded', {
        'x-ratelimit-reset': '1800000000',
      }),
      context,
    );
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('2027-01-15T08:00:00.000Z');
  });

  it('says GitHub did not answer when a request got no answer at all (a dropped connection, a timeout)', () => {
    const error = new RequestError('other side closed', 500, {
      request: { method: 'POST', url: 'https://api.github.com/repos/octo-org/shop/deployments', headers: {} },
    });
    const actionable = toActionableError(error, context);
    expect(actionable).toBeInstanceOf(TransientError);
    expect((actionable as Error).message).toMatch(
      /^GitHub did not answer POST \/repos\/octo-org\/shop\/deployments after retries \(other side closed\)\..*re-run the job/,
    );
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'sha')")],
    [
      'an object shaped like an HTTP error',
      { status: 502, request: { method: 'GET', url: '/' }, message: 'x' },
    ],
  ])('leaves %s alone: only an Octokit RequestError is an HTTP error', (_name, error) => {
    expect(toActionableError(error, context)).toBe(error);
  });
});
