#!/usr/bin/env node
/**
 * Starts a GitHub emulator from the command line: `npx tsx packages/emulator/src/cli.ts [--owner o] [--repo r]
 * [--no-validate]`. It seeds a few commits, prints the URL and serves until interrupted (SIGINT/SIGTERM).
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    owner: { type: 'string' },
    repo: { type: 'string' },
    directory: { type: 'string' },
    'no-validate': { type: 'boolean', default: false },
  },
});

const emulator = await startEmulator({
  owner: values.owner,
  repo: values.repo,
  directory: values.directory,
  validate: !values['no-validate'],
});
emulator.seed.user('octocat', 'octocat@example.com');
const author = { name: 'The Octocat', email: 'octocat@example.com' };
emulator.seed.file('package.json', '{ "name": "shop", "version": "1.0.0" }\n', 'Add package.json');
emulator.git.commit('Add checkout page', { author });
emulator.git.commit('Fix cart total rounding', { author });

console.log(`GitHub emulator for ${emulator.fullName} listening at ${emulator.url}`);
console.log(`  GITHUB_API_URL=${emulator.url}`);
console.log(`  GITHUB_GRAPHQL_URL=${emulator.graphqlUrl}`);
console.log(`  GITHUB_REPOSITORY=${emulator.fullName}`);
console.log(`  git repository: ${emulator.git.directory} (main at ${emulator.git.head()})`);
console.log('Press Ctrl+C to stop.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const counts = emulator.requestCounts();
  console.log(`\nServed ${emulator.requests.length} requests; ${emulator.problems.length} OpenAPI problems.`);
  for (const [route, count] of Object.entries(counts))
    console.log(`  ${count.toString().padStart(5)}  ${route}`);
  await emulator.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
