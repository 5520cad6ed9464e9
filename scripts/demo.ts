// The product's main job on a laptop: a local GitHub (the emulator) and the committed action bundles, run as
// the GitHub runner runs them. A commit goes from integration to production (with an approval, as a canary
// watched by a health check), a second release follows, its verification fails, and a rollback puts the
// environment back. Each step is told in one line (`npm run demo -- --verbose` adds its job summary and, at the
// end, the requests by route); the exit code is 1 when a step did not go as the scenario expects or the emulator
// saw a request or answer that GitHub's OpenAPI description does not allow.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '@release-promotion/emulator';
import { printedOutput, runActionBundle } from '../test/harness/run-action.js';
import type { ActionName } from '../test/harness/action-metadata.js';
import { nodeRuntime } from '../test/harness/node-runtime.js';
import { narrateStep, type ExpectedRefusal } from './demo/narration.js';

const USAGE =
  'Usage: npm run demo [-- --verbose]\n  --verbose  also print each step’s job summary and the requests by route';
let verbose = false;
try {
  verbose = parseArgs({ options: { verbose: { type: 'boolean', default: false } }, strict: true }).values
    .verbose;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

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

/** Prints a part of the scenario: what the workflow runs that follow stand for. */
function chapter(text: string): void {
  console.log(`\n${text}`);
}

/** A workflow run at `sha` started by `actor`: its steps share the run id (approvals are recorded per run). */
function run(sha: string, actor: string) {
  runId += 1;
  const id = runId;
  let release: string | undefined;
  return {
    id,
    async step(
      trigger: string,
      action: ActionName,
      inputs: Record<string, string>,
      expected?: ExpectedRefusal,
    ) {
      const result = await runActionBundle(action, {
        apiUrl: emulator.url,
        repository: emulator.fullName,
        sha,
        runId: id,
        actor,
        workspace,
        inputs,
      });
      if (action === 'prepare-release' && result.exitCode === 0)
        release = result.outputs.version || result.outputs.sha?.slice(0, 7);
      const { line, asExpected } = narrateStep({
        trigger,
        action,
        environment: inputs.environment ?? '',
        exitCode: result.exitCode,
        outputs: result.outputs,
        errors: result.errors,
        release,
        expected,
      });
      console.log(`  ${line}`);
      if (!asExpected) failures += 1;
      // What went wrong, in full (log, stderr and summary); with --verbose, every step's summary.
      if (!asExpected) console.log(`\n${indent(printedOutput(result).trim())}\n`);
      else if (verbose) console.log(`\n${indent(result.summary.trim() || '(no summary)')}\n`);
      return result;
    },
  };
}

/** `text` indented under the step lines. */
function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}

try {
  console.log(
    `A local GitHub (the emulator) serves ${emulator.fullName} at ${emulator.url}; the committed action bundles ` +
      `run against it as the runner runs them, under Node ${nodeRuntime().version}.`,
  );
  emulator.seed.user('mona', 'mona@example.com');
  emulator.seed.user('hubot', 'hubot@example.com');
  const mona = { name: 'Mona Lisa', email: 'mona@example.com' };
  emulator.git.commit('feat: product catalogue', { author: mona });
  const first = emulator.git.commit('fix: price rounding', { author: mona });

  chapter('1. mona pushes to main: continuous deployment to integration');
  let cd = run(first, 'mona');
  await cd.step('push', 'prepare-release', { environment: 'integration' });
  await cd.step('push', 'deploy-env', {
    environment: 'integration',
    run: 'echo "deploying $GITHUB_SHA to integration"',
  });
  await cd.step('push', 'verify', { environment: 'integration', url: healthUrl, attempts: '1' });
  await cd.step('push', 'accept', { environment: 'integration' });

  chapter('2. Promotion to preproduction: the first version');
  let promote = run(first, 'mona');
  await promote.step('promote', 'prepare-release', { environment: 'preproduction' });
  await promote.step('promote', 'deploy-env', { environment: 'preproduction', status: 'success' });
  await promote.step('promote', 'verify', { environment: 'preproduction', attempts: '2', interval: '0' });
  await promote.step('promote', 'accept', { environment: 'preproduction' });

  chapter('3. Promotion to production: hubot approves (not mona, who prepared it); a canary, 25% then 100%');
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

  chapter('4. A second release (a feature and a fix) goes to integration, then to preproduction');
  emulator.git.commit('feat: gift cards', { author: { name: 'Hubot', email: 'hubot@example.com' } });
  const second = emulator.git.commit('fix(search): accents <script>@everyone</script>', { author: mona });
  cd = run(second, 'hubot');
  await cd.step('push', 'prepare-release', { environment: 'integration' });
  await cd.step('push', 'deploy-env', { environment: 'integration', status: 'success' });
  await cd.step('push', 'accept', { environment: 'integration' });
  promote = run(second, 'hubot');
  await promote.step('promote', 'prepare-release', { environment: 'preproduction' });
  await promote.step('promote', 'deploy-env', { environment: 'preproduction', status: 'success' });

  chapter(
    '5. The search index goes down: verification fails, accept refuses, a rollback puts preproduction back',
  );
  healthy = false;
  await promote.step(
    'promote',
    'verify',
    { environment: 'preproduction', attempts: '2', interval: '0' },
    { because: 'verification failed', says: /Verification of deployment \d+ in preproduction failed/ },
  );
  await promote.step(
    'promote',
    'accept',
    { environment: 'preproduction' },
    { because: 'not accepted: its verification failed', says: /failed verification/ },
  );
  await promote.step('on failure', 'rollback', {
    environment: 'preproduction',
    reason: 'verification failed: search index unavailable',
    run: 'echo "redeploying the previous release"',
  });
  healthy = true;

  chapter('6. The rolled-back release cannot be promoted there again without force');
  await run(second, 'hubot').step(
    'promote',
    'prepare-release',
    { environment: 'preproduction' },
    { because: 'this commit was rolled back there', says: /was rolled back in 'preproduction'/ },
  );

  chapter('7. The scheduled report: where everything stands');
  await run(second, 'hubot').step('schedule', 'status', {});

  finish();
} finally {
  await emulator.close();
  service.close();
  rmSync(workspace, { recursive: true, force: true });
}

/** The closing lines: the OpenAPI verdict, the requests (verbose), what went wrong, where to go next. */
function finish(): void {
  if (verbose) {
    console.log('\nrequests the bundles made, by route:');
    for (const [route, count] of Object.entries(emulator.requestCounts()))
      console.log(`  ${String(count).padStart(4)}  ${route}`);
  }
  console.log(
    emulator.problems.length === 0
      ? "\nEvery request and answer matched GitHub's OpenAPI description."
      : `\nOpenAPI mismatches:\n${JSON.stringify(emulator.problems, null, 2)}`,
  );
  if (failures > 0) console.log(`${failures} step(s) did not go as the scenario expects (marked above).`);
  if (emulator.problems.length > 0 || failures > 0) {
    process.exitCode = 1;
    return;
  }
  console.log(`
Next:
  - README.md, "Quick start": the two files to copy into your repository
  - examples/: workflows for continuous deployment, promotion, a canary rollout, rollback and a status report
  - npm run emulator -- --repo <your clone>: the same local GitHub serving your repository, to try the actions on
  - npm run demo -- --verbose: this demo again, with each step's job summary and the requests by route`);
}
