import { readStatus, runAction, setUpAction, statusSummary } from '@release-promotion/core';

await runAction('status', async (runtime) => {
  const { dependencies } = await setUpAction(runtime, { environmentRequired: false });
  const report = await readStatus(dependencies);
  runtime.setOutput('environments', JSON.stringify(report.environments));
  await runtime.summary(statusSummary(report));
});
