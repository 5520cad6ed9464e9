import { parseBumpInput, parseVersionInput } from '../release/versioning.js';
import { prepareReleaseSummary } from '../report/prepare-release-summary.js';
import { readGateOverride } from '../runtime/action-inputs.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import {
  prepareReleaseUseCase,
  type PrepareReleaseRequest,
  type PreparedRelease,
} from '../use-cases/prepare-release.js';

/**
 * prepare-release: picks the commit to release in an environment (gated on what was accepted below), versions
 * it, writes its notes and queues its Deployment.
 */
export const prepareReleaseAction: ActionDefinition<PrepareReleaseRequest, PreparedRelease> = {
  name: 'prepare-release',
  environmentRequired: true,
  parse: (input, common) => {
    const ref = input('ref') || undefined;
    // `force` and `reason` are checked before `version` and `bump`, so the first error named is the same.
    const override = readGateOverride(input);
    return {
      environment: common.environment,
      ref,
      version: parseVersionInput(input('version')),
      bump: parseBumpInput(input('bump')),
      force: override.force,
      reason: override.reason,
      dryRun: common.dryRun,
    };
  },
  useCase: prepareReleaseUseCase,
  report: (release) => ({
    outputs: {
      sha: release.commit.sha,
      version: release.version,
      tag: release.tag,
      'deployment-id': release.deploymentId,
      'previous-sha': release.previous?.sha,
      'previous-version': release.previous?.version ?? undefined,
      // Every commit, even when the GitHub Release holds the notes cut to its size limit (`releaseBody`).
      'release-notes': release.releaseNotes,
      'release-url': release.releaseUrl,
    },
    summary: prepareReleaseSummary(release),
  }),
};
