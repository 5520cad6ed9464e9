import {
  parseBumpInput,
  parseVersionInput,
  prepareRelease,
  prepareSnapshotRequest,
  prepareReleaseSummary,
  readGateOverride,
  runAction,
  setUpAction,
} from '@release-promotion/core';

await runAction('prepare-release', async (runtime) => {
  const { input, setOutput, summary } = runtime;
  const { inputs, dependencies } = await setUpAction(runtime, {
    environmentRequired: true,
    snapshot: (config, common) =>
      prepareSnapshotRequest(config, common.environment, input('ref') || undefined, runtime.context.sha),
  });
  const override = readGateOverride(input);
  const release = await prepareRelease(dependencies, {
    environment: inputs.environment,
    ref: input('ref') || undefined,
    version: parseVersionInput(input('version')),
    bump: parseBumpInput(input('bump')),
    force: override.force,
    reason: override.reason,
    dryRun: inputs.dryRun,
  });
  setOutput('sha', release.commit.sha);
  setOutput('version', release.version);
  setOutput('tag', release.tag);
  setOutput('deployment-id', release.deploymentId);
  setOutput('previous-sha', release.previous?.sha);
  setOutput('previous-version', release.previous?.version ?? undefined);
  // Every commit, even when the GitHub Release holds the notes cut to its size limit (`release.releaseBody`).
  setOutput('release-notes', release.releaseNotes);
  setOutput('release-url', release.releaseUrl);
  await summary(prepareReleaseSummary(release));
});
