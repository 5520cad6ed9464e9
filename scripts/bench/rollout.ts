/**
 * deploy-env rolling a release out as a canary in `steps` steps, for the bench: what the requests grow with (the
 * steps: one status each) and what they do not (the history).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promoteWithCore } from '../../test/harness/promotion-state.js';
import type { Scenario } from '../../test/harness/reliability-scenarios.js';

/** Canary weights for `steps` steps, evenly spread and ending at 100: 3 gives 33, 67, 100. */
export function canaryWeights(steps: number): number[] {
  return Array.from({ length: steps }, (_, index) => Math.round(((index + 1) * 100) / steps));
}

/** A workspace whose `.github/promotion.yml` rolls integration out as a canary of `steps` steps, without pauses. */
export function rolloutWorkspace(steps: number): string {
  const workspace = mkdtempSync(join(tmpdir(), 'bench-rollout-'));
  mkdirSync(join(workspace, '.github'));
  const weights = canaryWeights(steps).map((weight) => `        - { weight: ${weight} }`);
  const lines = [
    'environments:',
    '  - name: integration',
    '    rollout:',
    '      strategy: canary',
    '      steps:',
    ...weights,
    '  - name: production',
    '',
  ];
  writeFileSync(join(workspace, '.github', 'promotion.yml'), lines.join('\n'));
  return workspace;
}

/** deploy-env's step in integration (replacing the release accepted there) with a canary of `steps` steps. */
export function rolloutScenario(steps: number): Scenario {
  return {
    name: `deploy-env (integration, a canary of ${steps} steps, replacing the release accepted there)`,
    async arrange(emulator) {
      const first = emulator.git.commit('feat: catalogue');
      await promoteWithCore(emulator, 'integration', first, 101, 'accepted');
      const sha = emulator.git.commit('fix: basket totals');
      await promoteWithCore(emulator, 'integration', sha, 300, 'prepared');
      return {
        action: 'deploy-env',
        runId: 300,
        sha,
        inputs: { environment: 'integration', run: 'test "$RELEASE_STRATEGY" = canary' },
        workspace: rolloutWorkspace(steps),
      };
    },
  };
}
