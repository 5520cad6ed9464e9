import { metricsSummary } from '../report/metrics-summary.js';
import { statusSummary } from '../report/status-summary.js';
import { readPositiveInteger } from '../runtime/action-inputs.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import { DEFAULT_METRICS_WINDOW_DAYS } from '../use-cases/delivery-metrics.js';
import { statusUseCase, type StatusRequest, type StatusResult } from '../use-cases/status.js';

/** status: reports where every environment stands, what waits, and the delivery metrics; writes the board. */
export const statusAction: ActionDefinition<StatusRequest, StatusResult> = {
  name: 'status',
  environmentRequired: false,
  parse: (input, common) => ({
    environment: '',
    staleAfterDays: readPositiveInteger(input, 'stale-after-days', "a number of days such as '14'"),
    windowDays:
      readPositiveInteger(input, 'metrics-window-days', "a number of days such as '30'") ??
      DEFAULT_METRICS_WINDOW_DAYS,
    board: input('board') || undefined,
    dryRun: common.dryRun,
  }),
  useCase: statusUseCase,
  report: ({ report, metrics, board }) => ({
    outputs: {
      environments: JSON.stringify(report.environments),
      metrics: JSON.stringify(metrics),
      // Set only when a board was written, as the action always did.
      ...(board !== undefined ? { board } : {}),
    },
    summary: `${statusSummary(report)}\n${metricsSummary(metrics)}`,
  }),
};
