import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../src/index.js';
import { apiClient, type Json } from './helpers.js';

let emulator: Emulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  api = apiClient(emulator);
});
afterAll(() => emulator.close());

async function release(body: Record<string, unknown>): Promise<Json> {
  const response = await api('POST', 'releases', { body });
  expect(response.status).toBe(201);
  return response.body;
}

describe('releases', () => {
  it('creates a release and its missing tag at target_commitish', async () => {
    const sha = emulator.git.commit('release me');
    const created = await release({ tag_name: 'v1.0.0', name: 'One', body: 'Notes', target_commitish: sha });
    expect(created).toMatchObject({
      tag_name: 'v1.0.0',
      target_commitish: sha,
      name: 'One',
      body: 'Notes',
      draft: false,
      prerelease: false,
      html_url: 'https://github.com/octo-org/shop/releases/tag/v1.0.0',
      author: { login: 'github-actions[bot]' },
      assets: [],
    });
    expect(created.published_at).toEqual(expect.any(String));
    expect(emulator.git.run(['rev-parse', 'refs/tags/v1.0.0'])).toBe(sha);
    expect((await api('GET', `releases/${created.id}`)).body).toEqual(created);
    expect((await api('GET', 'releases/tags/v1.0.0')).body).toEqual(created);
  });

  it('keeps an existing tag where it is', async () => {
    const tagged = emulator.git.head();
    emulator.git.run(['tag', 'v1.1.0', tagged]);
    emulator.git.commit('later');
    await release({ tag_name: 'v1.1.0' });
    expect(emulator.git.run(['rev-parse', 'refs/tags/v1.1.0'])).toBe(tagged);
  });

  it('answers 422 already_exists for a duplicate tag_name, and for an unknown target', async () => {
    const duplicate = await api('POST', 'releases', { body: { tag_name: 'v1.0.0' } });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
    });
    const target = await api('POST', 'releases', { body: { tag_name: 'v9', target_commitish: 'nowhere' } });
    expect(target.status).toBe(422);
  });

  it('lists releases newest first, paginated', async () => {
    const response = await api('GET', 'releases?per_page=1');
    expect(response.body[0].tag_name).toBe('v1.1.0');
    expect(response.headers.get('link')).toContain('rel="next"');
  });

  it('follows GitHub rules for the latest release', async () => {
    expect((await api('GET', 'releases/latest')).body.tag_name).toBe('v1.1.0');
    await release({ tag_name: 'v2.0.0-rc.1', prerelease: true });
    await release({ tag_name: 'v2.0.0-draft', draft: true });
    expect((await api('GET', 'releases/latest')).body.tag_name).toBe('v1.1.0');
    await release({ tag_name: 'v1.0.1', make_latest: 'false' });
    expect((await api('GET', 'releases/latest')).body.tag_name).toBe('v1.1.0');
    const explicit = await release({ tag_name: 'v1.2.0', make_latest: 'true' });
    expect((await api('GET', 'releases/latest')).body.tag_name).toBe('v1.2.0');
    expect((await api('DELETE', `releases/${explicit.id}`)).status).toBe(204);
    expect((await api('GET', 'releases/latest')).body.tag_name).toBe('v1.1.0');
  });

  it('does not create the tag of a draft until it is published', async () => {
    const draft = await release({ tag_name: 'v3.0.0', draft: true });
    expect(draft.published_at).toBeNull();
    expect(emulator.git.run(['tag', '--list', 'v3.0.0'])).toBe('');
    expect((await api('GET', 'releases/tags/v3.0.0')).status).toBe(404);
    const published = await api('PATCH', `releases/${draft.id}`, { body: { draft: false, name: 'Three' } });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ draft: false, name: 'Three', tag_name: 'v3.0.0' });
    expect(published.body.published_at).toEqual(expect.any(String));
    expect(emulator.git.run(['rev-parse', 'refs/tags/v3.0.0'])).toBe(emulator.git.head());
    expect((await api('GET', 'releases/latest')).body.tag_name).toBe('v3.0.0');
  });

  it('deletes a release but keeps its tag; 404 for unknown releases', async () => {
    const created = await release({ tag_name: 'v4.0.0' });
    expect((await api('DELETE', `releases/${created.id}`)).status).toBe(204);
    expect((await api('GET', `releases/${created.id}`)).status).toBe(404);
    expect(emulator.git.run(['tag', '--list', 'v4.0.0'])).toBe('v4.0.0');
    expect((await api('PATCH', 'releases/999999', { body: { name: 'x' } })).status).toBe(404);
    expect((await api('DELETE', 'releases/999999')).status).toBe(404);
    expect((await api('GET', 'releases/tags/nothing')).status).toBe(404);
  });
});

describe('POST /releases/generate-notes', () => {
  it('lists the commits between previous_tag_name and tag_name', async () => {
    emulator.seed.user('mona', 'mona@example.com');
    emulator.git.run(['tag', 'notes-base', emulator.git.head()]);
    emulator.git.commit('Add checkout', { author: { name: 'Mona', email: 'mona@example.com' } });
    emulator.git.commit('Fix cart', { author: { name: 'Hubot', email: 'hubot@example.com' } });
    const response = await api('POST', 'releases/generate-notes', {
      body: { tag_name: 'notes-next', previous_tag_name: 'notes-base' },
    });
    expect(response.status).toBe(200);
    expect(response.body.name).toBe('notes-next');
    const lines = (response.body.body as string).split('\n');
    expect(lines[0]).toBe("## What's Changed");
    expect(lines[1]).toMatch(
      /^\* Add checkout by @mona in https:\/\/github.com\/octo-org\/shop\/commit\/[0-9a-f]{40}$/,
    );
    expect(lines[2]).toMatch(/^\* Fix cart by Hubot in /);
    expect(lines.at(-1)).toBe(
      '**Full Changelog**: https://github.com/octo-org/shop/compare/notes-base...notes-next',
    );
  });

  it('answers 404 for an unknown previous tag', async () => {
    const response = await api('POST', 'releases/generate-notes', {
      body: { tag_name: 'x', previous_tag_name: 'missing' },
    });
    expect(response.status).toBe(404);
  });

  it('fills a release body with generate_release_notes', async () => {
    const created = await release({ tag_name: 'v5.0.0', body: 'Intro', generate_release_notes: true });
    expect(created.body).toMatch(/^Intro\n\n## What's Changed\n\* /);
  });
});

describe('validation', () => {
  it('found no problem in any answer', () => {
    expect(emulator.problems).toEqual([]);
  });
});
