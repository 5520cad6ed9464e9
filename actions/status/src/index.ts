import {
  readStatus,
  runAction,
  setUpAction,
  statusSnapshotRequest,
  statusSummary,
} from '@release-promotion/core';

await runAction('status', async (runtime) => {
  const { dependencies } = await setUpAction(runtime, {
    environmentRequired: false,
    snapshot: (config) => statusSnapshotRequest(config),
  });
  const report = await readStatus(dependencies);
  runtime.setOutput('environments', JSON.stringify(report.environments));
  await runtime.summary(statusSummary(report));
});
