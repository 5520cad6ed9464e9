import { describe, expect, it } from '@jest/globals';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import { undeployedToSupersede } from '../src/rules/supersede-undeployed.js';
import { deployment as suiteDeployment } from './support/fixtures.js';

/**
 * Deployment `id` in production with these statuses, prepared by run 100 + `id`; `suite: false` for one the
 * suite did not make.
 */
const deployment = (id: number, written: string[], suite = true): DeploymentWithProgress =>
  suiteDeployment(id, written, { day: '2026-01-01', run: 100 + id, suite });

const PREPARED = 'queued: Prepared 1.2.0 by run 102; waiting to be deployed';
const DEPLOYED = 'success: Deployed aaaaaa2 (run 102)';

describe('undeployedToSupersede: the newest release prepared here and never deployed, still queued', () => {
  it.each<[string, DeploymentWithProgress[], number | undefined, number | undefined]>([
    ['no deployment here', [], undefined, undefined],
    [
      'the newest was prepared and never deployed',
      [deployment(2, [PREPARED]), deployment(1, [DEPLOYED])],
      undefined,
      2,
    ],
    ["the newest is this run's own (a re-run)", [deployment(2, [PREPARED])], 2, undefined],
    ['the newest deployed', [deployment(2, [PREPARED, DEPLOYED])], undefined, undefined],
    [
      'the newest is deploying',
      [deployment(2, [PREPARED, 'in_progress: Deploying aaaaaa2 (run 102)'])],
      undefined,
      undefined,
    ],
    [
      'the newest was superseded already',
      [deployment(2, [PREPARED, 'inactive: Superseded: never deployed; run 103 prepared a newer release'])],
      undefined,
      undefined,
    ],
    [
      'the newest was prepared, then a status not of the suite was added',
      [deployment(2, [PREPARED, 'pending: waiting for a runner'])],
      undefined,
      undefined,
    ],
    ['the newest is not a deployment of the suite', [deployment(2, [PREPARED], false)], undefined, undefined],
    [
      'only the newest counts: an older undeployed one stays as it is',
      [deployment(3, [DEPLOYED]), deployment(2, [PREPARED])],
      undefined,
      undefined,
    ],
  ])('%s', (_situation, recent, keep, superseded) => {
    expect(undeployedToSupersede(recent, keep)?.deployment.id).toBe(superseded);
  });
});
