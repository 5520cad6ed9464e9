import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OpenApiValidator, startEmulator, type Emulator } from '../src/index.js';
import { restRoutes } from '../src/routes/index.js';
import { apiClient, type Json } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;
let validator: OpenApiValidator;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
  validator = OpenApiValidator.shared();
});
afterAll(() => emulator.close());

/** The keys of the first example GitHub documents for an operation's response. */
function exampleKeys(method: string, template: string, status: number): string[] {
  const example = Object.values(validator.responseExamples(method, template, status))[0] as Record<
    string,
    unknown
  >;
  expect(example).toBeDefined();
  return Object.keys(example).sort();
}

describe('OpenAPI description', () => {
  it('loads in well under a second', () => {
    expect(validator.startupCost.total).toBeLessThan(1500);
  });

  it('documents every REST route the emulator serves', () => {
    const missing = restRoutes.filter((route) => !validator.operation(route.method, route.template));
    expect(missing.map((route) => `${route.method} ${route.template}`)).toEqual([]);
  });
});

describe('request validation', () => {
  it('refuses POST /deployments without ref with a GitHub-style 422 and records a problem', async () => {
    const response = await api('POST', 'deployments', { body: { environment: 'staging' } });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      message: 'Invalid request.\n\n"ref" wasn\'t supplied.',
      documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      status: '422',
    });
    expect(emulator.problems.at(-1)).toMatchObject({
      kind: 'request-body',
      method: 'POST',
      route: '/repos/{owner}/{repo}/deployments',
      messages: ['"ref" wasn\'t supplied.'],
    });
    expect(emulator.requests.at(-1)?.problems).toEqual(['request-body: "ref" wasn\'t supplied.']);
  });

  it('refuses wrong types, unknown enum values and bad query parameters', async () => {
    const type = await api('POST', 'deployments', { body: { ref: 'main', task: 5 } });
    expect(type.body.message).toContain("For 'properties/task', 5 is not a string.");
    const deployment = (await api('POST', 'deployments', { body: { ref: 'main', environment: 'x' } })).body;
    const state = await api('POST', `deployments/${deployment.id}/statuses`, { body: { state: 'done' } });
    expect(state.status).toBe(422);
    const query = await api('GET', 'deployments?per_page=many');
    expect(query.status).toBe(422);
    expect(emulator.problems.filter((problem) => problem.kind === 'query')).toHaveLength(1);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await fetch(`${emulator.url}/repos/octo-org/shop/deployments`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).message).toBe('Problems parsing JSON');
  });
});

describe('answers have the keys of GitHub examples', () => {
  it('a created deployment', async () => {
    const response = await api('POST', 'deployments', { body: { ref: 'main', environment: 'production' } });
    expect(Object.keys(response.body).sort()).toEqual(
      exampleKeys('POST', '/repos/{owner}/{repo}/deployments', 201),
    );
  });

  it('a deployment status', async () => {
    const deployment = (await api('POST', 'deployments', { body: { ref: 'main' } })).body;
    const response = await api('POST', `deployments/${deployment.id}/statuses`, {
      body: { state: 'success' },
    });
    expect(Object.keys(response.body).sort()).toEqual(
      exampleKeys('POST', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 201),
    );
  });

  it('a git ref and an annotated tag', async () => {
    const sha = emulator.git.head();
    const ref = await api('POST', 'git/refs', { body: { ref: 'refs/heads/example', sha } });
    expect(Object.keys(ref.body).sort()).toEqual(exampleKeys('POST', '/repos/{owner}/{repo}/git/refs', 201));
    expect(Object.keys(ref.body.object).sort()).toEqual(['sha', 'type', 'url']);
    const tag = await api('POST', 'git/tags', {
      body: { tag: 'v0', message: 'm', object: sha, type: 'commit' },
    });
    expect(Object.keys(tag.body).sort()).toEqual(exampleKeys('POST', '/repos/{owner}/{repo}/git/tags', 201));
  });

  it('a release (minus the example fields sent only with other media types or not modelled)', async () => {
    const response = await api('POST', 'releases', { body: { tag_name: 'v0.0.1' } });
    const notModelled = ['body_html', 'body_text', 'discussion_url', 'mentions_count', 'reactions'];
    // `updated_at` is in the schema and in GitHub's answers, but not in the (older) example.
    const expected = [...exampleKeys('POST', '/repos/{owner}/{repo}/releases', 201), 'updated_at']
      .filter((key) => !notModelled.includes(key))
      .sort();
    expect(Object.keys(response.body).sort()).toEqual(expected);
  });
});

describe('response validation', () => {
  it('found no problem in the answers above', () => {
    expect(
      emulator.problems.filter((problem) => problem.kind === 'response' || problem.kind === 'route'),
    ).toEqual([]);
  });

  it('reports a response that breaks the schema', () => {
    const problems = validator.validateResponse(
      'GET',
      '/repos/{owner}/{repo}/deployments/{deployment_id}',
      200,
      {
        id: 'one',
      },
    );
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining("must have required property 'sha'")]),
    );
    expect(validator.validateResponse('GET', '/repos/{owner}/{repo}/deployments', 204, undefined)).toEqual([
      'status 204 is not documented for GET /repos/{owner}/{repo}/deployments',
    ]);
  });
});
