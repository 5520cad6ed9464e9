import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_METRICS_WINDOW_DAYS,
  metricsSummary,
  readDeliveryMetrics,
  readPositiveInteger,
  readStatus,
  renderStatusBoard,
  runAction,
  setUpAction,
  statusSnapshotRequest,
  statusSummary,
} from '@release-promotion/core';

await runAction('status', async (runtime) => {
  const { input, context } = runtime;
  const staleAfterDays = readPositiveInteger(input, 'stale-after-days', "a number of days such as '14'");
  const windowDays =
    readPositiveInteger(input, 'metrics-window-days', "a number of days such as '30'") ??
    DEFAULT_METRICS_WINDOW_DAYS;
  const { dependencies } = await setUpAction(runtime, {
    environmentRequired: false,
    snapshot: (config) => statusSnapshotRequest(config),
  });
  const now = new Date();
  const report = await readStatus(dependencies, { now, staleAfterDays });
  const metrics = await readDeliveryMetrics(dependencies, { windowDays, now });
  runtime.setOutput('environments', JSON.stringify(report.environments));
  runtime.setOutput('metrics', JSON.stringify(metrics));
  const board = input('board');
  if (board) {
    // Relative to the workspace, like every path a workflow author gives.
    const file = path.resolve(context.workspace ?? process.cwd(), board);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      renderStatusBoard({
        repository: `${context.owner}/${context.repo}`,
        serverUrl: context.serverUrl,
        report,
        metrics,
      }),
    );
    runtime.setOutput('board', file);
  }
  await runtime.summary(`${statusSummary(report)}\n${metricsSummary(metrics)}`);
});
