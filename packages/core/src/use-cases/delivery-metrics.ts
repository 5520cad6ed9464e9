import type { PromotionConfig } from '../chain/promotion-config.js';
import { computeDoraMetrics } from '../metrics/dora-metrics.js';
import type { DoraMetrics } from '../metrics/metric-types.js';
import { readEnvironmentHistory, type EnvironmentHistory } from '../state/release-history.js';
import { repositoryOf, type UseCaseDependencies } from './use-case-dependencies.js';

/** Default window of the delivery metrics, in days. */
export const DEFAULT_METRICS_WINDOW_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The environment the delivery metrics measure: the chain's last, where releases reach users. */
export function metricsEnvironment(config: Pick<PromotionConfig, 'chain'>): string {
  const { environments } = config.chain;
  const environment = environments[environments.length - 1]?.name;
  if (!environment) throw new Error('The environment chain is empty.');
  return environment;
}

/**
 * The deployments of the chain's last environment created in the `windowDays` before `now`: one GraphQL
 * request per 100 deployments in the window, however long the history before it.
 */
export function readMetricsHistory(
  dependencies: UseCaseDependencies,
  options: { windowDays: number; now: Date },
): Promise<EnvironmentHistory> {
  return readEnvironmentHistory(dependencies.client, repositoryOf(dependencies), {
    environment: metricsEnvironment(dependencies.config),
    since: new Date(options.now.getTime() - options.windowDays * DAY_MS),
  });
}

/** The delivery metrics (DORA keys) of `history` over the `windowDays` before `now` (pure). */
export function deliveryMetrics(
  history: EnvironmentHistory,
  options: { environment: string; windowDays: number; now: Date },
): DoraMetrics {
  return { ...computeDoraMetrics(history.deployments, options), requests: history.requests };
}

/**
 * The delivery metrics (DORA keys) of the chain's last environment over the `windowDays` before `now`, from the
 * deployments the suite recorded there (see {@link readMetricsHistory} for what it reads).
 */
export async function readDeliveryMetrics(
  dependencies: UseCaseDependencies,
  options: { windowDays: number; now: Date },
): Promise<DoraMetrics> {
  const history = await readMetricsHistory(dependencies, options);
  return deliveryMetrics(history, { environment: metricsEnvironment(dependencies.config), ...options });
}
