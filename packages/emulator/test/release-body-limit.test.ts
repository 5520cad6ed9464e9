import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../src/index.js';
import { apiClient } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
});
afterAll(() => emulator.close());

/** GitHub's answer to a Release body over 125,000 characters. */
const TOO_LONG = {
  message: 'Validation Failed',
  errors: [
    {
      resource: 'Release',
      code: 'custom',
      field: 'body',
      message: 'body is too long (maximum is 125000 characters)',
    },
  ],
  documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\/rest\/releases\/releases#/),
  status: '422',
};

describe('the Release body limit (125,000 characters)', () => {
  it('creates a release whose body is exactly 125,000 characters', async () => {
    const response = await api('POST', 'releases', {
      body: { tag_name: 'v1.0.0', body: 'a'.repeat(125_000) },
    });
    expect(response.status).toBe(201);
    expect(response.body.body).toHaveLength(125_000);
  });

  it('refuses one character more on POST with 422 Validation Failed, creating neither release nor tag', async () => {
    const response = await api('POST', 'releases', {
      body: { tag_name: 'v1.1.0', body: 'a'.repeat(125_001) },
    });
    expect(response.status).toBe(422);
    expect(response.body).toEqual(TOO_LONG);
    expect(emulator.store.releases.map((release) => release.tagName)).toEqual(['v1.0.0']);
    expect(emulator.git.run(['tag', '--list', 'v1.1.0'])).toBe('');
  });

  it('refuses it on PATCH too, leaving the release as it was', async () => {
    const [release] = emulator.store.releases;
    const response = await api('PATCH', `releases/${release?.id}`, {
      body: { body: `${'b'.repeat(125_001)}`, prerelease: true },
    });
    expect(response.status).toBe(422);
    expect(response.body).toEqual(TOO_LONG);
    expect(emulator.store.releases[0]).toMatchObject({ body: 'a'.repeat(125_000), prerelease: false });
    const fits = await api('PATCH', `releases/${release?.id}`, { body: { body: 'short' } });
    expect(fits.status).toBe(200);
    expect(fits.body.body).toBe('short');
  });

  it('counts characters, not UTF-16 units: 125,000 emoji fit', async () => {
    const response = await api('POST', 'releases', {
      body: { tag_name: 'v2.0.0', body: '🚀'.repeat(125_000) },
    });
    expect(response.status).toBe(201);
    const over = await api('POST', 'releases', { body: { tag_name: 'v2.0.1', body: '🚀'.repeat(125_001) } });
    expect(over.status).toBe(422);
  });

  it('found no problem in any request or answer', () => {
    expect(emulator.problems).toEqual([]);
  });
});
