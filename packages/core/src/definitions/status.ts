import { metricsSummary } from '../report/metrics-summary.js';
import { statusSummary } from '../report/status-summary.js';
import { readPositiveInteger } from '../runtime/action-inputs.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import { boardFilePath, readBoardInput } from '../use-cases/board-path.js';
import { DEFAULT_METRICS_WINDOW_DAYS } from '../use-cases/delivery-metrics.js';
import { statusUseCase, type StatusRequest, type StatusResult } from '../use-cases/status.js';

/** The board path checked against the workspace (as given: the use-case resolves it again when it writes). */
function boardInside(board: string | undefined, workspace: string | undefined): string | undefined {
  if (board !== undefined) boardFilePath(board, workspace);
  return board;
}

/** status: reports where every environment stands, what waits, and the delivery metrics; writes the board. */
export const statusAction: ActionDefinition<StatusRequest, StatusResult> = {
  name: 'status',
  environmentRequired: false,
  parse: (input, common, context) => ({
    environment: '',
    staleAfterDays: readPositiveInteger(input, 'stale-after-days', "a number of days such as '14'"),
    windowDays:
      readPositiveInteger(input, 'metrics-window-days', "a number of days such as '30'") ??
      DEFAULT_METRICS_WINDOW_DAYS,
    // Refused before any request when it leaves the workspace.
    board: boardInside(readBoardInput(input('board')), context.workspace),
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
