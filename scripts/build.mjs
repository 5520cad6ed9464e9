// Builds one self-contained bundle per action with ncc: dist/<action>/index.js.
// `--check` builds into a scratch folder and fails when the result differs from the committed dist/.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const ACTIONS = ['prepare-release', 'deploy-env', 'verify', 'accept', 'rollback', 'status'];
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const root = new URL('..', import.meta.url).pathname;
const outRoot = check ? await mkdtemp(join(tmpdir(), 'dist-check-')) : join(root, 'dist');

function build(action) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
        'build',
        `actions/${action}/src/index.ts`,
        '-o',
        join(outRoot, action),
        '--license',
        'licenses.txt',
        '--quiet',
      ],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ncc failed for ${action} (exit ${code})`)),
    );
  });
}

async function files(directory) {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
    .sort();
}

const actions = only.length > 0 ? only : ACTIONS;
// Two at a time: the machines have two cores.
for (let index = 0; index < actions.length; index += 2) {
  await Promise.all(actions.slice(index, index + 2).map(build));
}
console.log(`built ${actions.length} bundle(s) into ${check ? outRoot : 'dist/'}`);

if (check) {
  const drift = [];
  for (const action of actions) {
    const built = join(outRoot, action);
    const committed = join(root, 'dist', action);
    const [builtFiles, committedFiles] = await Promise.all([files(built), files(committed).catch(() => [])]);
    for (const file of new Set([...builtFiles, ...committedFiles])) {
      const [a, b] = await Promise.all([
        readFile(join(built, file)).catch(() => undefined),
        readFile(join(committed, file)).catch(() => undefined),
      ]);
      if (!a || !b || !a.equals(b)) drift.push(`dist/${action}/${file}`);
    }
  }
  await rm(outRoot, { recursive: true, force: true });
  if (drift.length > 0) {
    console.error(
      `dist/ differs from the source in:\n  ${drift.join('\n  ')}\nRun 'npm run build' and commit dist/.`,
    );
    process.exit(1);
  }
  console.log('dist/ matches the source.');
}
