// The product's main job on a laptop: a local GitHub (the emulator) and the committed action bundles, run as
// the GitHub runner runs them. A commit goes from integration to production (with an approval, as a canary
// watched by a health check), a second
// release follows, its verification fails, and a rollback puts the environment back. Every step's job summary
// is printed, then the final status.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@release-promotion/emulator';
import { runActionBundle, type ActionResult } from '../test/harness/run-action.js';
import type { ActionName } from '../test/harness/action-metadata.js';
import { nodeRuntime } from '../test/harness/node-runtime.js';

let healthy = true;
const service = createServer((_request, response) => {
  response.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
  response.end(healthy ? 'ok' : 'search index unavailable');
});
await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
const address = service.address();
const healthUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/healthz`;

const workspace = mkdtempSync(join(tmpdir(), 'demo-workspace-'));
mkdirSync(join(workspace, '.github'));
writeFileSync(
  join(workspace, '.github', 'promotion.yml'),
  `environments:
  - name: integration
  - name: preproduction
    url: https://pre.shop.example
    verify:
      - url: ${healthUrl}
        body-contains: ok
  - name: production
    url: https://shop.example
    approval: required
    prevent-self-approval: true
    rollout:
      strategy: canary
      steps:
        - { weight: 25, pause: 2s }
        - { weight: 100 }
      check-interval: 1s
    verify:
      - url: ${healthUrl}
        body-contains: ok
versioning:
  starts-at: preproduction
`,
);

const emulator = await startEmulator({ owner: 'octo-org', repo: 'shop' });
let runId = 100;
let failures = 0;

function run(sha: string, actor: string) {
  runId += 1;
  const id = runId;
  return {
    id,
    async step(title: string, action: ActionName, inputs: Record<string, string>, expectFailure = false) {
      const result: ActionResult = await runActionBundle(action, {
        apiUrl: emulator.url,
        repository: emulator.fullName,
        sha,
        runId: id,
        actor,
        workspace,
        inputs,
      });
      console.log(`\n━━━ run ${id} · ${title} · ${action} → exit ${result.exitCode} ━━━\n`);
      if (result.errors.length > 0)
        console.log(result.errors.map((error) => `error: ${error}`).join('\n') + '\n');
      console.log(result.summary.trim() || '(no summary)');
      if ((result.exitCode !== 0) !== expectFailure) {
        failures += 1;
        console.log(`!! unexpected outcome\n${result.stdout}\n${result.stderr}`);
      }
      return result;
    },
  };
}

try {
  console.log(
    `GitHub emulator for ${emulator.fullName} at ${emulator.url}; bundles run under Node ${nodeRuntime().version}.`,
  );
  emulator.seed.user('mona', 'mona@example.com');
  emulator.seed.user('hubot', 'hubot@example.com');
  const mona = { name: 'Mona Lisa', email: 'mona@example.com' };
  emulator.git.commit('feat: product catalogue', { author: mona });
  const first = emulator.git.commit('fix: price rounding', { author: mona });

  // 1. Push to main: continuous deployment to integration.
  let cd = run(first, 'mona');
  await cd.step('push', 'prepare-release', { environment: 'integration' });
  await cd.step('push', 'deploy-env', {
    environment: 'integration',
    run: 'echo "deploying $GITHUB_SHA to integration"',
  });
  await cd.step('push', 'verify', { environment: 'integration', url: healthUrl, attempts: '1' });
  await cd.step('push', 'accept', { environment: 'integration' });

  // 2. Promotion to preproduction: the first version.
  let promote = run(first, 'mona');
  await promote.step('promote', 'prepare-release', { environment: 'preproduction' });
  await promote.step('promote', 'deploy-env', { environment: 'preproduction', status: 'success' });
  await promote.step('promote', 'verify', { environment: 'preproduction', attempts: '2', interval: '0' });
  await promote.step('promote', 'accept', { environment: 'preproduction' });

  // 3. Promotion to production, approved by a required reviewer who did not prepare it, rolled out as a canary.
  promote = run(first, 'mona');
  await promote.step('promote', 'prepare-release', { environment: 'production' });
  emulator.seed.approvals(promote.id, [{ environment: 'production', user: 'hubot', comment: 'LGTM' }]);
  // A canary: the deploy command runs once per step with RELEASE_WEIGHT; the health check is watched between.
  await promote.step('promote', 'deploy-env', {
    environment: 'production',
    run: 'echo "sending $RELEASE_WEIGHT% of the traffic to $RELEASE_SHA"',
  });
  await promote.step('promote', 'verify', { environment: 'production', attempts: '2', interval: '0' });
  await promote.step('promote', 'accept', { environment: 'production' });

  // 4. A second release: a feature and a fix land; integration and preproduction take it.
  emulator.git.commit('feat: gift cards', { author: { name: 'Hubot', email: 'hubot@example.com' } });
  const second = emulator.git.commit('fix(search): accents <script>@everyone</script>', { author: mona });
  cd = run(second, 'hubot');
  await cd.step('push', 'prepare-release', { environment: 'integration' });
  await cd.step('push', 'deploy-env', { environment: 'integration', status: 'success' });
  await cd.step('push', 'accept', { environment: 'integration' });
  promote = run(second, 'hubot');
  await promote.step('promote', 'prepare-release', { environment: 'preproduction' });
  await promote.step('promote', 'deploy-env', { environment: 'preproduction', status: 'success' });

  // 5. Its verification fails, so accept refuses it and a rollback puts preproduction back.
  healthy = false;
  await promote.step(
    'promote',
    'verify',
    { environment: 'preproduction', attempts: '2', interval: '0' },
    true,
  );
  await promote.step('promote', 'accept', { environment: 'preproduction' }, true);
  await promote.step('rollback (if: failure())', 'rollback', {
    environment: 'preproduction',
    reason: 'verification failed: search index unavailable',
    run: 'echo "redeploying the previous release"',
  });
  healthy = true;

  // 6. The rolled-back release cannot be promoted there again without force.
  await run(second, 'hubot').step('promote again', 'prepare-release', { environment: 'preproduction' }, true);

  // 7. Where everything stands.
  await run(second, 'hubot').step('scheduled report', 'status', {});

  console.log('\nrequests the bundles made, by route:');
  for (const [route, count] of Object.entries(emulator.requestCounts()))
    console.log(`  ${String(count).padStart(4)}  ${route}`);
  console.log(
    emulator.problems.length === 0
      ? "every request and answer matched GitHub's OpenAPI description"
      : `OpenAPI mismatches:\n${JSON.stringify(emulator.problems, null, 2)}`,
  );
  if (emulator.problems.length > 0 || failures > 0) process.exitCode = 1;
} finally {
  await emulator.close();
  service.close();
  rmSync(workspace, { recursive: true, force: true });
}
