import {
  InputError,
  rollbackEnvironment,
  rollbackSnapshotRequest,
  rollbackSummary,
  runAction,
  setUpAction,
} from '@release-promotion/core';

await runAction('rollback', async (runtime) => {
  const { input, setOutput, summary, fail } = runtime;
  const { inputs, dependencies } = await setUpAction(runtime, {
    environmentRequired: true,
    snapshot: (config, common) =>
      rollbackSnapshotRequest(config, common.environment, input('to') || undefined),
  });
  const reason = input('reason');
  if (!reason) {
    throw new InputError(
      'reason',
      'is required',
      'Say why the environment is rolled back; it is recorded on the deployments.',
    );
  }
  const result = await rollbackEnvironment(dependencies, {
    environment: inputs.environment,
    to: input('to') || undefined,
    reason,
    run: input('run') || undefined,
    dryRun: inputs.dryRun,
  });
  setOutput('sha', result.target.sha);
  setOutput('version', result.target.version ?? undefined);
  setOutput('deployment-id', result.deploymentId);
  setOutput('rolled-back-sha', result.rolledBack.sha);
  await summary(rollbackSummary(result));
  if (result.command && result.command.exitCode !== 0) {
    fail(
      `The redeploy command exited with ${result.command.exitCode ?? 'no exit code (killed)'}; ${result.environment} was not rolled back.`,
    );
  }
});
