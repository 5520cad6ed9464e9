import type { DoraMetrics } from '../metrics/metric-types.js';
import { markdownCode, markdownText } from '../text/escape.js';
import { table } from './markdown.js';

/** Hours as the summary shows them: `45 min`, `5.2 h`, `3.1 days`. */
export function formatHours(hours: number | null): string {
  if (hours === null) return 'no data';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

/** The delivery metrics section of the status summary. */
export function metricsSummary(metrics: DoraMetrics): string {
  const failure = metrics.changeFailureRate;
  const rows = [
    [
      'Deployment frequency',
      `${metrics.deployments} release(s) accepted, ${metrics.deploymentsPerDay.toFixed(2)} a day`,
    ],
    [
      'Lead time for changes (commit to acceptance)',
      metrics.leadTimeHours.samples === 0
        ? 'no data (no release accepted)'
        : `median ${formatHours(metrics.leadTimeHours.median)}, p90 ${formatHours(metrics.leadTimeHours.p90)} ` +
          `(${metrics.leadTimeHours.samples} release(s))`,
    ],
    [
      'Change failure rate (rolled back or verification failed)',
      failure.rate === null
        ? 'no data (nothing deployed)'
        : `${(failure.rate * 100).toFixed(1)} % (${failure.failed} of ${failure.total})`,
    ],
    [
      'Time to restore (failure to the next acceptance)',
      metrics.timeToRestoreHours.samples === 0
        ? 'no data (no failed release restored)'
        : `median ${formatHours(metrics.timeToRestoreHours.median)} (${metrics.timeToRestoreHours.samples} restore(s))`,
    ],
  ];
  return [
    `### Delivery metrics: ${markdownCode(metrics.environment)}, last ${metrics.windowDays} days`,
    '',
    table(['Metric', 'Value'], rows),
    '',
    `From ${markdownText(metrics.from)} to ${markdownText(metrics.to)}, read from the deployments the suite recorded ` +
      `(${metrics.requests} request(s)).`,
    '',
  ].join('\n');
}
