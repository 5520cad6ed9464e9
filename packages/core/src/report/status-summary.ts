import type { PendingChanges, StatusReport } from '../use-cases/status.js';
import { cell, code, shortSha, table, text } from './markdown.js';
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

/** Mermaid labels must not break out of their quotes, their line or their edge. */
function mermaidLabel(value: string): string {
  return value.replace(/["<>`|]/g, '').replace(/[\r\n]+/g, ' ');
}

/** `, 3 authors, oldest waiting since 2026-11-02 10:00:00 UTC` for a non-empty pending list. */
function waitingDetail(pending: PendingChanges): string {
  if (!pending.count) return '';
  const authors = pending.authors.length === 1 ? '1 author' : `${pending.authors.length} authors`;
  const since = pending.oldest?.waitingSince;
  return `, ${authors}` + (since ? `, oldest waiting since ${text(utcTime(since))}` : '');
}

/** The job summary of status: a table of every environment and a diagram of the chain. */
export function statusSummary(report: StatusReport): string {
  const rows = report.environments.map((environment) => [
    code(environment.environment),
    environment.version ? code(environment.version) : '—',
    environment.sha ? code(shortSha(environment.sha)) : '—',
    environment.since ? text(utcTime(environment.since)) : '—',
    cell(environment.by),
    environment.state
      ? `${STATE_ICONS[environment.state] ?? ''} ${text(environment.state)}${environment.rollback ? ' (rollback)' : ''}`
      : '—',
    environment.pending === null
      ? '—'
      : environment.pending.count === null
        ? `everything in ${code(environment.pending.from)}`
        : `${environment.pending.count} from ${code(environment.pending.from)}` +
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
        `### Waiting for ${text(environment.environment)} (from ${text(environment.pending?.from ?? '')})`,
        '',
        ...(environment.pending?.commits ?? [])
          .slice(-20)
          .map(
            (commit) =>
              `- ${code(shortSha(commit.sha))} ${text(commit.subject)} (${cell(commit.authorLogin ?? commit.authorName)})`,
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
    `Generated ${text(report.generatedAt)}.`,
    '',
  ].join('\n');
}
