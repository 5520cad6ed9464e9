import { describe, expect, it } from '@jest/globals';
import { linkHeader, paginate, readPageRequest } from '../src/pagination.js';
import { Router } from '../src/router.js';

describe('Router', () => {
  const router = new Router<string>().add(
    { method: 'GET', template: '/repos/{owner}/{repo}/releases/{release_id}', handler: 'release' },
    { method: 'GET', template: '/repos/{owner}/{repo}/releases/latest', handler: 'latest' },
    { method: 'GET', template: '/repos/{owner}/{repo}/git/ref/{ref}', greedy: true, handler: 'ref' },
  );

  it('prefers literal segments over parameters', () => {
    expect(router.match('GET', '/repos/o/r/releases/latest')?.route.handler).toBe('latest');
    expect(router.match('GET', '/repos/o/r/releases/12')?.parameters).toEqual({
      owner: 'o',
      repo: 'r',
      release_id: '12',
    });
  });

  it('lets a greedy parameter take slashes, encoded or not', () => {
    expect(router.match('GET', '/repos/o/r/git/ref/tags/env/production')?.parameters.ref).toBe(
      'tags/env/production',
    );
    expect(router.match('GET', '/repos/o/r/git/ref/tags%2Fv1')?.parameters.ref).toBe('tags/v1');
  });

  it('serves HEAD with GET routes, ignores a trailing slash and rejects other methods', () => {
    expect(router.match('HEAD', '/repos/o/r/releases/1/')?.route.handler).toBe('release');
    expect(router.match('POST', '/repos/o/r/releases/1')).toBeUndefined();
    expect(router.match('GET', '/repos/o/r/releases')).toBeUndefined();
  });
});

describe('pagination', () => {
  const url = new URL('http://127.0.0.1:1/items?per_page=2');

  it('reads page and per_page with GitHub defaults and caps', () => {
    expect(readPageRequest({})).toEqual({ page: 1, perPage: 30 });
    expect(readPageRequest({ per_page: '1000', page: '3' })).toEqual({ page: 3, perPage: 100 });
    expect(readPageRequest({ per_page: '0', page: '-1' })).toEqual({ page: 1, perPage: 30 });
  });

  it('slices pages and links them', () => {
    const page = paginate([1, 2, 3, 4, 5], url, { per_page: '2', page: '3' });
    expect(page.items).toEqual([5]);
    expect(page.link).toBe(
      '<http://127.0.0.1:1/items?per_page=2&page=2>; rel="prev", <http://127.0.0.1:1/items?per_page=2&page=1>; rel="first"',
    );
    expect(linkHeader(url, 1, 1)).toBeUndefined();
    expect(paginate([1], url, {}).link).toBeUndefined();
  });
});
