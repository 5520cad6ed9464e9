import { describe, expect, it } from '@jest/globals';
import { releaseProgress, type StatusRecord } from '../src/state/deployment-markers.js';
import type { DeploymentWithProgress } from '../src/state/release-lookup.js';
import { undeployedToSupersede } from '../src/use-cases/supersede-undeployed.js';

/** Statuses written oldest first as `state: Description`; the record keeps them newest first, as GitHub lists. */
function statuses(written: string[]): StatusRecord[] {
  return written
    .map((entry, index) => {
      const at = entry.indexOf(': ');
      return {
        id: index + 1,
        state: entry.slice(0, at),
        description: entry.slice(at + 2),
        createdAt: `2026-01-01T00:00:0${index}Z`,
        creator: 'github-actions[bot]',
        environmentUrl: '',
        logUrl: '',
      };
    })
    .reverse();
}

/** Deployment `id` in production with these statuses; `suite: false` for one the suite did not make. */
function deployment(id: number, written: string[], suite = true): DeploymentWithProgress {
  const sha = `${id}`.padStart(40, 'a');
  return {
    deployment: {
      id,
      sha,
      environment: 'production',
      url: '',
      createdAt: '2026-01-01T00:00:00Z',
      creator: 'github-actions[bot]',
      release: suite
        ? {
            schema: 1,
            kind: 'release',
            environment: 'production',
            sha,
            version: `1.${id}.0`,
            previous: null,
            run: { id: 100 + id, attempt: 1, url: '' },
            actor: 'mona',
            forced: null,
            rollback: null,
          }
        : undefined,
    },
    progress: releaseProgress(statuses(written)),
  };
}

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
