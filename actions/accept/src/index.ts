import {
  APPROVAL_SOURCES,
  acceptRelease,
  acceptSnapshotRequest,
  acceptSummary,
  readChoice,
  readGateOverride,
  readPositiveInteger,
  runAction,
  setUpAction,
} from '@release-promotion/core';

await runAction('accept', async (runtime) => {
  const { input, setOutput, summary } = runtime;
  const { inputs, dependencies } = await setUpAction(runtime, {
    environmentRequired: true,
    snapshot: (config, common) => acceptSnapshotRequest(config, common.environment),
  });
  const override = readGateOverride(input);
  const result = await acceptRelease(dependencies, {
    environment: inputs.environment,
    deploymentId: readPositiveInteger(input, 'deployment-id'),
    approval: readChoice(input, 'approval', APPROVAL_SOURCES) ?? 'run',
    force: override.force,
    reason: override.reason,
    dryRun: inputs.dryRun,
  });
  setOutput('sha', result.sha);
  setOutput('version', result.version);
  setOutput('next-environment', result.nextEnvironment);
  setOutput('approved-by', result.approvals.map((approval) => approval.user).join(','));
  await summary(acceptSummary(result));
});
