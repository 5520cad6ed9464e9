import type { PendingChanges, StatusReport } from '../use-cases/status.js';
import { markdownCell, markdownCode, markdownText, mermaidLabel } from '../text/escape.js';
import { shortSha, table } from './markdown.js';
import { utcTime } from './utc-time.js';

const STATE_ICONS: Record<string, string> = {
  success: '✅',
  failure: '❌',
  error: '⛔',
  inactive: '💤',
  in_progress: '⏳',
  queued: '🕓',
  pending: '🕓',
};

/** A Mermaid node id for an environment (names are already restricted to safe characters). */
function nodeId(environment: string): string {
  return `env_${environment.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** `, 3 authors, oldest waiting since 2026-11-02 10:00:00 UTC` for a non-empty pending list. */
function waitingDetail(pending: PendingChanges): string {
  if (!pending.count) return '';
  const authors = pending.authors.length === 1 ? '1 author' : `${pending.authors.length} authors`;
  const since = pending.oldest?.waitingSince;
  return `, ${authors}` + (since ? `, oldest waiting since ${markdownText(utcTime(since))}` : '');
}

/** The job summary of status: a table of every environment and a diagram of the chain. */
export function statusSummary(report: StatusReport): string {
  const rows = report.environments.map((environment) => [
    markdownCode(environment.environment),
    environment.version ? markdownCode(environment.version) : '—',
    environment.sha ? markdownCode(shortSha(environment.sha)) : '—',
    environment.since ? markdownText(utcTime(environment.since)) : '—',
    markdownCell(environment.by),
    environment.state
      ? `${STATE_ICONS[environment.state] ?? ''} ${markdownText(environment.state)}${environment.rollback ? ' (rollback)' : ''}`
      : '—',
    environment.pending === null
      ? '—'
      : environment.pending.count === null
        ? `everything in ${markdownCode(environment.pending.from)}`
        : `${environment.pending.count} from ${markdownCode(environment.pending.from)}` +
          waitingDetail(environment.pending),
    environment.stale
      ? `⚠️ no release for ${environment.daysSinceRelease} days`
      : environment.daysSinceRelease === null
        ? '—'
        : `${environment.daysSinceRelease} days`,
  ]);
  const diagram = ['```mermaid', 'flowchart LR'];
  for (const environment of report.environments) {
    const release = environment.version ?? (environment.sha ? shortSha(environment.sha) : 'nothing yet');
    diagram.push(
      `  ${nodeId(environment.environment)}["${mermaidLabel(environment.environment)}<br/>${mermaidLabel(release)}"]`,
    );
  }
  for (const environment of report.environments) {
    if (!environment.pending) continue;
    const waiting =
      environment.pending.count === null
        ? 'all'
        : environment.pending.count === 0
          ? 'up to date'
          : `${environment.pending.count} waiting`;
    diagram.push(
      `  ${nodeId(environment.pending.from)} -->|${mermaidLabel(waiting)}| ${nodeId(environment.environment)}`,
    );
  }
  diagram.push('```');
  const waitingLists = report.environments
    .filter((environment) => environment.pending && environment.pending.commits.length > 0)
    .map((environment) =>
      [
        `### Waiting for ${markdownText(environment.environment)} (from ${markdownText(environment.pending?.from ?? '')})`,
        '',
        ...(environment.pending?.commits ?? [])
          .slice(-20)
          .map(
            (commit) =>
              `- ${markdownCode(shortSha(commit.sha))} ${markdownText(commit.subject)} (${markdownCell(commit.authorLogin ?? commit.authorName)})`,
          ),
        '',
      ].join('\n'),
    );
  return [
    '## Release status',
    '',
    table(['Environment', 'Version', 'Commit', 'Since', 'By', 'State', 'Waiting', 'Last release'], rows),
    '',
    ...diagram,
    '',
    ...waitingLists,
    `Generated ${markdownText(report.generatedAt)}.`,
    '',
  ].join('\n');
}
