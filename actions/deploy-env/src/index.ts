import {
  DEPLOY_STATUSES,
  deployEnvironment,
  deployEnvironmentSummary,
  readChoice,
  readGateOverride,
  readPositiveInteger,
  runAction,
  setUpAction,
  targetDeploymentRequest,
} from '@release-promotion/core';

await runAction('deploy-env', async (runtime) => {
  const { input, setOutput, summary, fail } = runtime;
  const { inputs, dependencies } = await setUpAction(runtime, {
    environmentRequired: true,
    snapshot: (config, common) => targetDeploymentRequest(config, common.environment),
  });
  const override = readGateOverride(input);
  const result = await deployEnvironment(dependencies, {
    environment: inputs.environment,
    deploymentId: readPositiveInteger(input, 'deployment-id'),
    status: readChoice(input, 'status', DEPLOY_STATUSES),
    run: input('run') || undefined,
    environmentUrl: input('environment-url') || undefined,
    force: override.force,
    reason: override.reason,
    dryRun: inputs.dryRun,
  });
  setOutput('deployment-id', result.deployment.id);
  setOutput('status', result.status);
  await summary(deployEnvironmentSummary(result));
  if (result.command && result.command.exitCode !== 0) {
    fail(
      `The deploy command exited with ${result.command.exitCode ?? 'no exit code (killed)'}; the deployment is marked failed.`,
    );
  }
});
