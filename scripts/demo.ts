// The product's main job on a laptop: a local GitHub (the emulator) and the committed action bundles, run as
// the GitHub runner runs them. Today: continuous deployment of a commit to the first environment.
import { startEmulator } from '@release-promotion/emulator';
import { runActionBundle, type ActionResult } from '../test/harness/run-action.js';
import { nodeRuntime } from '../test/harness/node-runtime.js';

const ENVIRONMENTS = 'integration, preproduction, production';

function show(title: string, result: ActionResult): void {
  console.log(`\n━━━ ${title} (exit ${result.exitCode}) ━━━`);
  if (result.exitCode !== 0) {
    console.log(result.stdout);
    console.error(result.stderr);
    throw new Error(`${title} failed`);
  }
  console.log('outputs:');
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`  ${name}: ${value.includes('\n') ? JSON.stringify(value) : value}`);
  }
  console.log('\njob summary:\n');
  console.log(result.summary);
}

const emulator = await startEmulator({ owner: 'octo-org', repo: 'shop' });
try {
  console.log(`GitHub emulator for ${emulator.fullName} at ${emulator.url}`);
  console.log(`Action bundles run under Node ${nodeRuntime().version}.`);
  emulator.seed.user('mona', 'mona@example.com');
  const author = { name: 'Mona Lisa', email: 'mona@example.com' };
  emulator.git.commit('feat: product catalogue', { author });
  const first = emulator.git.commit('fix: price rounding', { author });

  const common = { apiUrl: emulator.url, repository: emulator.fullName, actor: 'mona' };
  show(
    'push to main: prepare-release → integration',
    await runActionBundle('prepare-release', {
      ...common,
      sha: first,
      runId: 101,
      inputs: { environment: 'integration', environments: ENVIRONMENTS },
    }),
  );

  // The release is accepted in integration (the accept action arrives with the promotion chain); then two
  // more commits land and the next push prepares them, listing what changed since.
  emulator.git.run(['update-ref', 'refs/tags/env/integration', first]);
  emulator.git.commit('feat: gift cards <b>@everyone</b>', { author });
  const second = emulator.git.commit('perf: cache product pages', { author });
  show(
    'next push: prepare-release → integration',
    await runActionBundle('prepare-release', {
      ...common,
      sha: second,
      runId: 102,
      inputs: { environment: 'integration', environments: ENVIRONMENTS },
    }),
  );

  const counts = emulator.requestCounts();
  console.log('requests the bundles made:');
  for (const [route, count] of Object.entries(counts))
    console.log(`  ${String(count).padStart(3)}  ${route}`);
  console.log(
    emulator.problems.length === 0
      ? "every request and answer matched GitHub's OpenAPI description"
      : `OpenAPI mismatches:\n${JSON.stringify(emulator.problems, null, 2)}`,
  );
  if (emulator.problems.length > 0) process.exitCode = 1;
} finally {
  await emulator.close();
}
