import { computeDoraMetrics } from '../metrics/dora-metrics.js';
import type { DoraMetrics } from '../metrics/metric-types.js';
import { readEnvironmentHistory } from '../state/release-history.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** Default window of the delivery metrics, in days. */
export const DEFAULT_METRICS_WINDOW_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The delivery metrics (DORA keys) of the chain's last environment over the `windowDays` before `now`, from the
 * deployments the suite recorded there: one GraphQL request per 100 deployments in the window, however long the
 * history before it.
 */
export async function readDeliveryMetrics(
  dependencies: UseCaseDependencies,
  options: { windowDays: number; now: Date },
): Promise<DoraMetrics> {
  const { environments } = dependencies.config.chain;
  const environment = environments[environments.length - 1]?.name;
  if (!environment) throw new Error('The environment chain is empty.');
  const history = await readEnvironmentHistory(dependencies.client, repositoryOf(dependencies), {
    environment,
    since: new Date(options.now.getTime() - options.windowDays * DAY_MS),
  });
  return {
    ...computeDoraMetrics(history.deployments, {
      environment,
      windowDays: options.windowDays,
      now: options.now,
    }),
    requests: history.requests,
  };
}
