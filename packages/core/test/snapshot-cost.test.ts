import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { snapshotPointCost, type SnapshotRequest } from '../src/state/repository-snapshot.js';
import { acceptSnapshotRequest } from '../src/use-cases/accept.js';
import { prepareSnapshotRequest } from '../src/use-cases/prepare-release.js';
import { rollbackSnapshotRequest } from '../src/use-cases/rollback.js';
import { statusSnapshotRequest } from '../src/use-cases/status.js';
import { targetDeploymentRequest } from '../src/use-cases/target-deployment.js';

// Each action's one GraphQL read must cost what one REST request costs: 1 point of GitHub's GraphQL limit, by
// GitHub's published rule (connections assumed full, summed, divided by 100, rounded, at least 1).
const config = parsePromotionConfig(
  [
    'environments:',
    '  - integration',
    '  - preproduction',
    '  - production',
    'versioning:',
    '  starts-at: preproduction',
  ].join('\n'),
  'test',
);
const sha = 'a'.repeat(40);

const plans: Array<[string, SnapshotRequest]> = [
  ['prepare-release integration', prepareSnapshotRequest(config, 'integration', undefined, sha)],
  ['prepare-release preproduction', prepareSnapshotRequest(config, 'preproduction', undefined, sha)],
  ['prepare-release production with ref', prepareSnapshotRequest(config, 'production', 'main', sha)],
  ['deploy-env / verify', targetDeploymentRequest(config, 'production')],
  ['accept', acceptSnapshotRequest(config, 'production')],
  ['rollback', rollbackSnapshotRequest(config, 'production', undefined)],
  ['rollback to a version', rollbackSnapshotRequest(config, 'production', 'v1.2.0')],
  ['rollback to a sha', rollbackSnapshotRequest(config, 'production', sha)],
  ['status', statusSnapshotRequest(config)],
];

describe('snapshotPointCost', () => {
  it.each(plans)('%s costs 1 point', (_name, request) => {
    expect(snapshotPointCost(request)).toBe(1);
  });

  it('grows when a query asks for more than 100 nodes in all', () => {
    // Two environments' newest 100 deployments, each with its statuses: 2 × (1 + 100) = 202 → 2 points.
    const wide: SnapshotRequest = {
      recent: [
        { environment: 'integration', count: 100 },
        { environment: 'production', count: 100 },
      ],
    };
    expect(snapshotPointCost(wide)).toBe(2);
    expect(snapshotPointCost({})).toBe(1);
  });
});
