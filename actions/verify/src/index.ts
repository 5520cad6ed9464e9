import {
  parseChecksInput,
  parseVerificationOptions,
  readPositiveInteger,
  runAction,
  setUpAction,
  targetDeploymentRequest,
  urlCheck,
  verificationSummary,
  verifyDeployment,
} from '@release-promotion/core';

await runAction('verify', async (runtime) => {
  const { input, setOutput, summary, fail } = runtime;
  const { inputs, dependencies } = await setUpAction(runtime, {
    environmentRequired: true,
    snapshot: (config, common) => targetDeploymentRequest(config, common.environment),
  });
  const checks = [
    ...(input('url') ? [urlCheck(input('url'), "input 'url'")] : []),
    ...parseChecksInput(input('checks')),
  ];
  const result = await verifyDeployment(dependencies, {
    environment: inputs.environment,
    deploymentId: readPositiveInteger(input, 'deployment-id'),
    checks,
    options: parseVerificationOptions(input),
    dryRun: inputs.dryRun,
  });
  setOutput('result', result.report.result);
  setOutput('report', JSON.stringify(result.report));
  await summary(
    verificationSummary(result.report, {
      environment: result.environment,
      deploymentId: result.deployment.id,
    }),
  );
  if (result.report.result === 'failed') {
    fail(
      `Verification of deployment ${result.deployment.id} in ${result.environment} failed; accept will refuse it.`,
    );
  }
});
