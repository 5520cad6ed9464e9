import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RepositorySourceError, serveRepository } from '../src/serve-repository.js';

const root = mkdtempSync(join(tmpdir(), 'serve-repository-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (directory: string, args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd: directory,
  })
    .toString()
    .trim();

/** A repository with two commits on `trunk`. */
function source(name: string): string {
  const directory = join(root, name);
  execFileSync('git', ['init', '--quiet', '-b', 'trunk', directory]);
  git(directory, ['commit', '--quiet', '--allow-empty', '-m', 'One']);
  git(directory, ['commit', '--quiet', '--allow-empty', '-m', 'Two']);
  return directory;
}

describe('serveRepository', () => {
  it.each([
    { name: 'work-tree', prepare: (directory: string) => directory, branch: 'trunk' },
    {
      name: 'detached',
      prepare: (directory: string) => (
        git(directory, ['checkout', '--quiet', '--detach', 'HEAD~1']),
        directory
      ),
      branch: 'main',
    },
    {
      name: 'bare',
      prepare: (directory: string) => {
        const bare = `${directory}.git`;
        execFileSync('git', ['clone', '--quiet', '--bare', directory, bare]);
        return bare;
      },
      branch: 'trunk',
    },
  ])(
    'serves a $name repository on $branch at its HEAD, writing only to its own copy',
    async ({ name, prepare, branch }) => {
      const directory = prepare(source(name));
      const head = git(directory, ['rev-parse', 'HEAD']);
      const refs = git(directory, ['for-each-ref']);
      const served = await serveRepository({ source: directory, owner: 'local' });
      try {
        expect(served.prepared.defaultBranch).toBe(branch);
        expect(served.emulator.git.head()).toBe(head);
        expect(served.emulator.fullName).toBe(`local/${name}`);
        served.emulator.git.commit('Written by the emulator');
        served.emulator.git.run(['tag', 'env/production', head]);
      } finally {
        await served.close();
      }
      expect(git(directory, ['for-each-ref'])).toBe(refs);
      expect(git(directory, ['rev-parse', 'HEAD'])).toBe(head);
    },
  );

  it.each([
    { name: 'plain', prepare: (directory: string) => directory, says: 'not a git repository' },
    {
      name: 'empty',
      prepare: (directory: string) => (execFileSync('git', ['init', '--quiet', directory]), directory),
      says: 'has no commit yet',
    },
  ])('refuses a $name folder: $says', async ({ name, prepare, says }) => {
    const directory = prepare(mkdtempSync(join(root, `${name}-`)));
    const attempt = serveRepository({ source: directory, owner: 'local' });
    await expect(attempt).rejects.toThrow(RepositorySourceError);
    await expect(serveRepository({ source: directory, owner: 'local' })).rejects.toThrow(says);
  });
});
