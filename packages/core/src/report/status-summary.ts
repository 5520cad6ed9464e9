import type { EnvironmentStatus, PendingChanges, StatusReport } from '../use-cases/status.js';
import type { RolloutState } from '../use-cases/rollout-standing.js';
import { markdownCell, markdownCode, markdownText, mermaidLabel } from '../text/escape.js';
import { shortSha, table } from './markdown.js';
import { rolloutHolds, rolloutPhrase, rolloutRelease } from './rollout-phrase.js';
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

const ROLLOUT_ICONS: Record<RolloutState, string> = {
  'in-progress': '⏳',
  failed: '❌',
  halted: '⏸️',
  completed: '✅',
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

/**
 * `⏳ `1.2.0` rolling out: step 2 of 3 (50%)`, or `❌ `1.2.0` rollout failed at step 2 of 3 (50%), rolled back;
 * held here` for the environment's newest deployment; '' when it has no rollout to show (none, or completed).
 */
function rolloutDetail(environment: Pick<EnvironmentStatus, 'rollout'>): string {
  const { rollout } = environment;
  const phrase = rollout ? rolloutPhrase(rollout, markdownText) : undefined;
  if (!rollout || !phrase) return '';
  const held = rolloutHolds(rollout) ? '; held here' : '';
  return `${ROLLOUT_ICONS[rollout.state]} ${markdownCode(rolloutRelease(rollout))} ${phrase}${held}`;
}

/** The State cell: the deployment's state (a rollback said so) and the newest deployment's rollout. */
function stateCell(environment: EnvironmentStatus): string {
  const state = environment.state
    ? `${STATE_ICONS[environment.state] ?? ''} ${markdownText(environment.state)}${environment.rollback ? ' (rollback)' : ''}`
    : '';
  return [state, rolloutDetail(environment)].filter(Boolean).join(' · ') || '—';
}

/** The rollout line of an environment's Mermaid node, and how the node is outlined; undefined for none. */
function rolloutNode(
  environment: Pick<EnvironmentStatus, 'rollout'>,
): { line: string; kind: 'rolling' | 'held' } | undefined {
  const { rollout } = environment;
  const phrase = rollout ? rolloutPhrase(rollout) : undefined;
  if (!rollout || !phrase) return undefined;
  const held = rolloutHolds(rollout);
  const line = `${rolloutRelease(rollout)} ${phrase}${held ? ', held here' : ''}`;
  return { line: mermaidLabel(line), kind: held ? 'held' : 'rolling' };
}

/**
 * The chain as a Mermaid flowchart: each environment with its release (and a rollout going on or holding a
 * release there, the node outlined), each edge with what waits.
 */
function chainDiagram(report: StatusReport): string[] {
  const diagram = ['```mermaid', 'flowchart LR'];
  const outlined: string[] = [];
  for (const environment of report.environments) {
    const release = environment.version ?? (environment.sha ? shortSha(environment.sha) : 'nothing yet');
    const node = nodeId(environment.environment);
    const rollout = rolloutNode(environment);
    if (rollout) outlined.push(`  class ${node} ${rollout.kind}`);
    diagram.push(
      `  ${node}["${mermaidLabel(environment.environment)}<br/>${mermaidLabel(release)}` +
        `${rollout ? `<br/>${rollout.line}` : ''}"]`,
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
  if (outlined.length > 0) {
    diagram.push(
      '  classDef rolling stroke:#9a6700,stroke-width:3px',
      '  classDef held stroke:#cf222e,stroke-width:3px',
    );
    diagram.push(...outlined);
  }
  diagram.push('```');
  return diagram;
}

/** The job summary of status: a table of every environment and a diagram of the chain. */
export function statusSummary(report: StatusReport): string {
  const rows = report.environments.map((environment) => [
    markdownCode(environment.environment),
    environment.version ? markdownCode(environment.version) : '—',
    environment.sha ? markdownCode(shortSha(environment.sha)) : '—',
    environment.since ? markdownText(utcTime(environment.since)) : '—',
    markdownCell(environment.by),
    stateCell(environment),
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
    ...chainDiagram(report),
    '',
    ...waitingLists,
    `Generated ${markdownText(report.generatedAt)}.`,
    '',
  ].join('\n');
}
