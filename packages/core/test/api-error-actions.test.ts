/**
 * Permission advice per action: a 403 or a GraphQL FORBIDDEN names the permissions of the action that made the
 * request (from the one table in `github/action-permissions.ts`), and refused tag writes name theirs.
 */
import { describe, expect, it } from '@jest/globals';
import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { PermissionError, RefWriteRefusedError, TransientError, UserError } from '../src/errors.js';
import {
  ACTION_PERMISSIONS,
  permissionsYaml,
  SUITE_ACTIONS,
  tokenDescription,
} from '../src/github/action-permissions.js';
import { toActionableError } from '../src/github/api-error.js';
import { refWriteRefused } from '../src/github/ref-write-refusal.js';
import { failureSummary } from '../src/runtime/failure-summary.js';

const repository = { owner: 'octo-org', repo: 'shop' };

function httpError(status: number, method: string, url: string, message: string, headers = {}) {
  return new RequestError(message, status, {
    request: { method: method as 'GET', url, headers: {} },
    response: { status, url, headers, data: { message } },
  });
}

function graphqlError(type: string, message: string) {
  return new GraphqlResponseError(
    { method: 'POST', url: '/graphql' },
    {},
    {
      data: undefined,
      errors: [{ type, message, locations: [{ line: 1, column: 1 }], path: ['repository'], extensions: {} }],
    },
  );
}

const notAccessible = 'Resource not accessible by integration';

describe('a 403 names what the action itself needs', () => {
  it('tells status, which only reads, to add read permissions and nothing else', () => {
    const error = toActionableError(
      httpError(403, 'GET', 'https://api.github.com/repos/octo-org/shop/deployments', notAccessible),
      { ...repository, action: 'status' },
    ) as PermissionError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.message).toContain("This request needs 'deployments: read'.");
    expect(error.message).toContain(
      "Give the job the permissions the status action needs: 'contents: read' and 'deployments: read'.",
    );
    expect(error.hint).toBe(
      'Add to the workflow or job:\n  permissions:\n    contents: read\n    deployments: read',
    );
    expect(`${error.message}\n${error.hint}`).not.toMatch(/write/);
  });

  it("names accept's three permissions for a GraphQL FORBIDDEN", () => {
    const error = toActionableError(graphqlError('FORBIDDEN', notAccessible), {
      ...repository,
      action: 'accept',
    }) as PermissionError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.message).toContain("'actions: read', 'contents: write' and 'deployments: write'");
    expect(error.hint).toBe(`Add to the workflow or job:\n${permissionsYaml('accept', 2)}`);
  });

  it('names only the action permissions for a 403 on /graphql, whose needs its path does not tell', () => {
    const error = toActionableError(httpError(403, 'POST', 'https://api.github.com/graphql', notAccessible), {
      ...repository,
      action: 'verify',
    }) as PermissionError;
    expect(error.message).not.toContain('This request needs');
    expect(error.message).toContain("'contents: read' and 'deployments: write'");
  });

  it('keeps the generic advice when the action is unknown', () => {
    const error = toActionableError(graphqlError('FORBIDDEN', notAccessible), repository) as PermissionError;
    expect(error.message).toContain("'contents: write' and 'deployments: write'");
  });

  it('calls a GraphQL RATE_LIMITED answer transient', () => {
    const error = toActionableError(graphqlError('RATE_LIMITED', 'API rate limit exceeded'), repository);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/Re-run the job once the limit resets/);
  });
});

describe('refused tag writes', () => {
  const workflows = httpError(
    403,
    'POST',
    'https://api.github.com/repos/octo-org/shop/git/refs',
    'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission',
    { 'x-accepted-github-permissions': 'contents=write,workflows=write' },
  );

  it('give the app token step with the permissions of the action, plus workflows: write', () => {
    const refusal = refWriteRefused(workflows, 'refs/tags/env/production');
    const error = toActionableError(refusal, { ...repository, action: 'accept' }) as RefWriteRefusedError;
    expect(error).toBeInstanceOf(RefWriteRefusedError);
    expect(error.message).toBe(refusal.message);
    expect(error.hint).toContain('actions/create-github-app-token@v2');
    expect(error.hint).toContain(
      [
        '      permission-actions: read',
        '      permission-contents: write',
        '      permission-deployments: write',
        '      permission-workflows: write',
      ].join('\n'),
    );
    expect(error.hint).toContain('uses: octo-org/release-promotion/accept@v1');
  });

  it('name the action permissions for a plain 403', () => {
    const refusal = refWriteRefused(
      httpError(403, 'POST', 'https://api.github.com/repos/octo-org/shop/git/refs', notAccessible),
      'refs/tags/v1.0.0',
    );
    const error = toActionableError(refusal, {
      ...repository,
      action: 'prepare-release',
    }) as RefWriteRefusedError;
    expect(error.reason).toBe('permission');
    expect(error.message).toContain(
      "The prepare-release action needs 'contents: write' and 'deployments: write'.",
    );
    expect(error.hint).toBe(`Add to the workflow or job:\n${permissionsYaml('prepare-release', 2)}`);
  });
});

describe('a use-case error caused by a refused tag write', () => {
  it("gets the action's permissions as its hint, its message unchanged", () => {
    const refusal = refWriteRefused(
      httpError(403, 'POST', 'https://api.github.com/graphql', notAccessible),
      'refs/tags/env/production',
    );
    const wrapped = new UserError(`The rollback redeployed, but: ${refusal.message}`, {
      cause: refusal,
      hint: refusal.hint,
    });
    const error = toActionableError(wrapped, { ...repository, action: 'rollback' }) as UserError;
    expect(error.message).toBe(wrapped.message);
    expect(error.hint).toBe(`Add to the workflow or job:\n${permissionsYaml('rollback', 2)}`);
    expect(toActionableError(wrapped, repository)).toBe(wrapped);
  });
});

describe('the permissions table', () => {
  it('has an entry for every action, read-only for status', () => {
    expect(Object.keys(ACTION_PERMISSIONS).sort()).toEqual([...SUITE_ACTIONS].sort());
    expect(ACTION_PERMISSIONS.status.every((need) => need.access === 'read')).toBe(true);
  });

  it.each(SUITE_ACTIONS)('gives %s a token description naming each of its permissions', (action) => {
    const description = tokenDescription(action);
    for (const need of ACTION_PERMISSIONS[action])
      expect(description).toContain(`\`${need.scope}: ${need.access}\``);
    expect(description.includes('workflows: write')).toBe(
      ['prepare-release', 'accept', 'rollback'].includes(action),
    );
  });
});

describe('the failure summary', () => {
  it('says which action was refused where, what, why and how to fix it, escaping untrusted text', () => {
    const refusal = refWriteRefused(
      httpError(
        422,
        'POST',
        'https://api.github.com/repos/octo-org/shop/git/refs',
        'Repository rule violations found <b>@team</b>',
      ),
      'refs/tags/env/production',
    );
    const summary = failureSummary({ action: 'accept', environment: 'prod`uction', error: refusal });
    expect(summary).toContain("### ❌ `accept` in `prod'uction` was refused");
    expect(summary).toContain('**Refused:** writing `refs/tags/env/production`');
    expect(summary).toContain(
      '**Why:** GitHub answered “Repository rule violations found &lt;b&gt;@\u200bteam&lt;/b&gt;”',
    );
    expect(summary).toMatch(/\*\*How to fix it:\*\* A repository ruleset protects refs/);
    expect(summary).not.toContain('<b>');
  });

  it('puts the hint in a code block its content cannot close, and says failed for a transient error', () => {
    const error = new UserError('Input is wrong.', { hint: 'run:\n```\ninjected\n```' });
    const summary = failureSummary({ action: 'verify', environment: undefined, error });
    expect(summary).toContain('### ❌ `verify` was refused');
    expect(summary).toContain('````text\nrun:\n```\ninjected\n```\n````');
    const transient = failureSummary({
      action: 'status',
      environment: '',
      error: new TransientError('GitHub is down.'),
    });
    expect(transient).toContain('### ❌ `status` failed');
    expect(transient).toContain('**What to do:** GitHub is down.');
  });
});
