import { describe, expect, it } from '@jest/globals';
import type { DoraMetrics } from '../src/metrics/metric-types.js';
import { formatHours, metricsSummary } from '../src/report/metrics-summary.js';

const base: DoraMetrics = {
  environment: 'production',
  windowDays: 30,
  from: '2026-10-24T09:00:00.000Z',
  to: '2026-11-23T09:00:00.000Z',
  deployments: 12,
  deploymentsPerDay: 0.4,
  leadTimeHours: { median: 26.4, p90: 70, samples: 12 },
  changeFailureRate: { failed: 2, total: 13, rate: 2 / 13 },
  timeToRestoreHours: { median: 0.75, samples: 2 },
  requests: 1,
};

describe('metricsSummary', () => {
  it('shows each metric with its unit and what it is based on', () => {
    const summary = metricsSummary(base);
    expect(summary).toContain('### Delivery metrics: `production`, last 30 days');
    expect(summary).toContain('| Deployment frequency | 12 release(s) accepted, 0.40 a day |');
    expect(summary).toContain('median 26.4 h, p90 2.9 days (12 release(s))');
    expect(summary).toContain('| 15.4 % (2 of 13) |');
    expect(summary).toContain('median 45 min (2 restore(s))');
  });

  it('says "no data" where nothing was measured', () => {
    const summary = metricsSummary({
      ...base,
      deployments: 0,
      deploymentsPerDay: 0,
      leadTimeHours: { median: null, p90: null, samples: 0 },
      changeFailureRate: { failed: 0, total: 0, rate: null },
      timeToRestoreHours: { median: null, samples: 0 },
    });
    expect(summary).toContain('no data (no release accepted)');
    expect(summary).toContain('no data (nothing deployed)');
    expect(summary).toContain('no data (no failed release restored)');
    expect(formatHours(null)).toBe('no data');
  });
});
