import { describe, expect, it } from '@jest/globals';
import type { VerificationReport } from '../src/checks/run-verification.js';
import { verificationSummary } from '../src/report/verification-summary.js';

const passed: VerificationReport = {
  result: 'passed',
  checks: [
    {
      name: 'health',
      kind: 'http',
      target: 'https://pre.example.com/healthz',
      passed: true,
      attempts: 3,
      lastMessage: 'status 200 in 45 ms',
      latencyMs: 45,
      status: 200,
    },
    {
      name: 'smoke',
      kind: 'command',
      target: './smoke.sh --env pre',
      passed: true,
      attempts: 1,
      lastMessage: 'exited with code 0',
      latencyMs: 1200,
      output: ['all good'],
    },
  ],
  bakeTimeMs: 300_000,
  rounds: 10,
  retryRounds: 3,
  startedAt: '2025-01-01T12:00:00.000Z',
  finishedAt: '2025-01-01T12:05:30.000Z',
  durationMs: 330_000,
};

describe('verificationSummary', () => {
  it('shows a passed verification, its checks and bake time', () => {
    const markdown = verificationSummary(passed, { environment: 'preproduction', deploymentId: 42 });
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('## ✅ Verification passed in preproduction');
    expect(markdown).toContain('Deployment `42` · 2 checks · took 5.5 min');
    expect(markdown).toContain('| Check | Target | Result | Attempts | Latency | Last message |');
    expect(markdown).toContain(
      '| health | [https://pre.example.com/healthz](https://pre.example.com/healthz) | ✅ passed | 3 | 45 ms | status 200 in 45 ms |',
    );
    expect(markdown).toContain(
      '| smoke | ./smoke.sh --env pre | ✅ passed | 1 | 1200 ms | exited with code 0 |',
    );
    expect(markdown).toContain('Bake time: 5 min; every check passed in each of 10 rounds.');
    expect(markdown).toContain('`accept` can accept this deployment in preproduction.');
    expect(markdown).not.toContain('rollback');
    expect(markdown).not.toContain('<details>');
  });

  it('says what happens next after a failure, with the failing output', () => {
    const failed: VerificationReport = {
      ...passed,
      result: 'failed',
      failedIn: 'bake',
      rounds: 3,
      checks: [
        passed.checks[0]!,
        {
          ...passed.checks[1]!,
          passed: false,
          attempts: 4,
          lastMessage: 'exited with code 1: database unreachable',
          output: ['connecting', '    retrying', 'database unreachable'],
        },
      ],
    };
    const markdown = verificationSummary(failed, { environment: 'production' });
    expect(markdown.split('\n')[0]).toBe('## ❌ Verification failed in production');
    expect(markdown).not.toContain('Deployment `');
    expect(markdown).toContain(
      '| smoke | ./smoke.sh --env pre | ❌ failed | 4 | 1200 ms | exited with code 1: database unreachable |',
    );
    expect(markdown).toContain('Bake time: 5 min; a check failed in round 3, so verification stopped.');
    expect(markdown).toContain('`accept` will refuse this deployment; roll back with the `rollback` action');
    expect(markdown).toContain('<details><summary>Output of smoke (last 3 lines)</summary>');
    expect(markdown).toContain('&#8203;&nbsp;&nbsp;&nbsp;&nbsp;retrying<br>');
  });

  it('says when bake time never started', () => {
    const markdown = verificationSummary(
      { ...passed, result: 'failed', failedIn: 'checks', rounds: 0 },
      { environment: 'production' },
    );
    expect(markdown).toContain('Bake time: 5 min, not started because a check never passed.');
    expect(verificationSummary({ ...passed, bakeTimeMs: 0, rounds: 0 }, { environment: 'x' })).toContain(
      'Bake time: none',
    );
  });

  it('escapes untrusted names, targets, messages and output', () => {
    const hostile: VerificationReport = {
      ...passed,
      result: 'failed',
      failedIn: 'checks',
      checks: [
        {
          name: '<img src=x onerror=alert(1)> | @octocat',
          kind: 'http',
          target: 'javascript:alert(1)',
          passed: false,
          attempts: 1,
          lastMessage: "body does not contain '[x](https://evil.example)'\n| injected |",
        },
        {
          name: 'cmd',
          kind: 'command',
          target: 'echo "| a |"\nrm -rf /tmp/x',
          passed: false,
          attempts: 1,
          lastMessage: 'exited with code 1',
          output: ['</details><script>alert(1)</script>', '# heading', '---', '@octocat ping', '```'],
        },
      ],
    };
    const markdown = verificationSummary(hostile, { environment: 'prod <b>' });
    expect(markdown).not.toMatch(/<img|<script|<\/details><script|<b>/);
    expect(markdown).not.toMatch(/@octocat/);
    expect(markdown).not.toContain('](https://evil.example)');
    expect(markdown).not.toContain('](javascript:');
    expect(markdown).not.toMatch(/^(\\?# heading|---|```)/m);
    expect(markdown.match(/<\/details>/g)).toHaveLength(1);
    const tableRows = markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(tableRows).toHaveLength(4);
    for (const row of tableRows) {
      expect(row.replace(/\\\|/g, '').match(/\|/g)).toHaveLength(7);
    }
  });

  it('shows a Prometheus check with its query in code and its reading', () => {
    const report: VerificationReport = {
      ...passed,
      result: 'failed',
      failedIn: 'checks',
      checks: [
        {
          name: 'error ratio',
          kind: 'prometheus',
          target:
            'sum(rate(http_requests_total{code=~"5..|429"}[5m]))\n  / sum(rate(http_requests_total[5m]))',
          passed: false,
          attempts: 5,
          lastMessage: '0.05 at {instance="a"} not below 0.01; 2 of 3 samples fail',
          latencyMs: 12,
          status: 200,
          value: 0.05,
        },
      ],
    };
    const markdown = verificationSummary(report, { environment: 'production' });
    expect(markdown).toContain(
      '| error ratio | `sum(rate(http_requests_total{code=~"5..\\|429"}[5m])) / sum(rate(http_requests_total[5m]))` ' +
        '| ❌ failed | 5 | 12 ms | 0.05 at \\{instance=&quot;a&quot;\\} not below 0.01; 2 of 3 samples fail |',
    );
    const row = markdown.split('\n').find((line) => line.startsWith('| error ratio'));
    expect(row?.replace(/\\\|/g, '').match(/\|/g)).toHaveLength(7);
  });
});
