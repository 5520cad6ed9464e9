import type { DoraMetrics } from '../metrics/metric-types.js';
import type { RolloutStanding } from '../use-cases/rollout-standing.js';
import type { EnvironmentStatus, PendingChanges, StatusReport } from '../use-cases/status.js';
import { joinMarkup, markup, type Markup, type MarkupValue } from '../text/markup.js';
import { shortSha } from './markdown.js';
import { rolloutHolds, rolloutPhrase, rolloutRelease } from './rollout-phrase.js';

/** What the promotion board page shows. */
export interface StatusBoard {
  /** `owner/repo`, shown in the title and used in commit links. */
  repository: string;
  /** GitHub's web address (`https://github.com` or a GitHub Enterprise host): commit links point there. */
  serverUrl: string;
  report: StatusReport;
  /** The delivery metrics of the last environment; `undefined` when they were not computed. */
  metrics: DoraMetrics | undefined;
}

/** The oldest commit waiting to be promoted (read when the status report carries it). */
interface OldestWaiting {
  sha: string;
  subject: string;
  committedAt?: string | null;
  waitingSince?: string | null;
}

/** Pending changes with the insight fields newer status reports add; read defensively. */
type BoardPending = PendingChanges & { authors?: string[]; oldest?: OldestWaiting | null };

/** An environment with the staleness and the rollout newer status reports add; read defensively. */
type BoardEnvironment = Omit<EnvironmentStatus, 'rollout'> & {
  stale?: boolean;
  daysSinceRelease?: number | null;
  rollout?: RolloutStanding | null;
};

/** The elements {@link field} makes. */
type FieldTag = 'a' | 'div' | 'h2' | 'span' | 'strong' | 'time' | 'ul';

/**
 * A leaf the test (or a dashboard scraper) reads back: `data-field` names it and `data-value` holds the exact
 * value as JSON, while the element's content is the value as people read it.
 */
function field(
  tag: FieldTag,
  name: string,
  value: unknown,
  content: MarkupValue,
  attributes?: Markup,
): Markup {
  return markup`<${tag} data-field="${name}" data-value="${JSON.stringify(value ?? null)}"${attributes}>${content}</${tag}>`;
}

/** Like {@link field}, for one of the metrics: `data-metric` names it. */
function metric(name: string, value: number | null, content: MarkupValue): Markup {
  return markup`<span data-metric="${name}" data-value="${JSON.stringify(value)}">${content}</span>`;
}

/** What a metric without samples shows. */
function noData(): Markup {
  return markup`<span class="none">no data</span>`;
}

/** The web address of a commit, or undefined when the server or the sha does not look like one. */
function commitUrl(serverUrl: string, repository: string, sha: string): string | undefined {
  if (!/^https?:\/\/[^\s"'<>]+$/i.test(serverUrl) || !/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
  const path = repository.split('/').map(encodeURIComponent).join('/');
  return `${serverUrl.replace(/\/+$/, '')}/${path}/commit/${sha}`;
}

/** An ISO time as `2025-01-31 14:05 UTC` (the raw text when it is not a time). */
function displayTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How long from a time to `now`, in the largest whole unit (`3 days`); null when either is not a time. */
function elapsed(iso: string, now: string): string | null {
  const milliseconds = new Date(now).getTime() - new Date(iso).getTime();
  if (Number.isNaN(milliseconds)) return null;
  const minutes = Math.max(0, Math.floor(milliseconds / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return count(minutes, 'minute');
  if (minutes < 48 * 60) return count(Math.floor(minutes / 60), 'hour');
  return count(Math.floor(minutes / (24 * 60)), 'day');
}

/** `3 days ago`, `just now`; null when either is not a time. */
function ago(iso: string, now: string): string | null {
  const span = elapsed(iso, now);
  return span === 'under a minute' ? 'just now' : span && `${span} ago`;
}

/** A `<time>` element for an untrusted ISO time, shown as a UTC date with its age below when known. */
function timeField(name: string, iso: string, now: string): Markup {
  const age = ago(iso, now);
  const element = field('time', name, iso, displayTime(iso), markup` datetime="${iso}"`);
  return age ? markup`${element} <span class="age">${age}</span>` : element;
}

/** A `<time>` element for an untrusted ISO time shown by `label` (its age), with the UTC date as its title. */
function relativeTimeField(name: string, iso: string, label: string): Markup {
  return field('time', name, iso, label, markup` datetime="${iso}" title="${displayTime(iso)}"`);
}

/** A number with at most `digits` decimals and no trailing zeros. */
function decimal(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** A duration given in hours, in the unit people read best. */
function duration(hours: number): string {
  if (hours < 1) return `${decimal(hours * 60, 0)} min`;
  if (hours < 48) return `${decimal(hours, 1)} h`;
  return `${decimal(hours / 24, 1)} days`;
}

/** `1 commit`, `3 commits`. */
function count(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/** A link to a commit labelled with its short sha (plain text when it cannot be linked). */
function shaLink(board: StatusBoard, name: string, sha: string): Markup {
  const url = commitUrl(board.serverUrl, board.repository, sha);
  const link = url ? markup` href="${url}" rel="noreferrer"` : null;
  return field(url ? 'a' : 'span', name, sha, shortSha(sha), markup` class="sha"${link}`);
}

const STATE_CLASSES: Record<string, string> = {
  success: 'good',
  failure: 'bad',
  error: 'bad',
  inactive: 'idle',
  in_progress: 'busy',
  queued: 'busy',
  pending: 'busy',
};

/** The rollback, held and stale badges of a card; null when it has none. */
function cardBadges(environment: BoardEnvironment): Markup | null {
  const badges: Markup[] = [];
  if (environment.rollback) {
    badges.push(field('span', 'rollback', true, 'rollback', markup` class="badge badge-rollback"`));
  }
  const { rollout } = environment;
  if (rollout && rolloutHolds(rollout)) {
    const words = rollout.state === 'halted' ? 'rollout halted' : 'rollout failed';
    const title = markup` class="badge badge-held" title="${rollout.description}"`;
    badges.push(field('span', 'rollout-held', rollout.state, words, title));
  }
  if (environment.stale) {
    const days = environment.daysSinceRelease;
    const title = typeof days === 'number' ? markup` title="No release for ${days} days"` : null;
    badges.push(field('span', 'stale', true, 'stale', markup` class="badge badge-stale"${title}`));
  }
  return badges.length > 0 ? markup`<span class="badges">${joinMarkup(badges, ' ')}</span>` : null;
}

/** The release a card shows: its version and commit, or that nothing was accepted. */
function cardRelease(board: StatusBoard, environment: BoardEnvironment): Markup {
  if (!environment.sha) return markup`<p class="release release-none">Nothing accepted yet</p>`;
  const version = environment.version
    ? field('span', 'version', environment.version, environment.version, markup` class="version"`)
    : markup`<span class="version version-none">no version</span>`;
  return markup`<p class="release">
${version}
${shaLink(board, 'sha', environment.sha)}
</p>`;
}

/** The state of a card's deployment and what its status says; null when it has neither. */
function cardState(environment: BoardEnvironment): Markup | null {
  const { state, description } = environment;
  if (!state && !description) return null;
  return joinMarkup(
    [
      markup`<p class="state">`,
      markup`<span class="dot" aria-hidden="true"></span>`,
      state ? field('span', 'state', state, state.replace(/_/g, ' '), markup` class="state-name"`) : null,
      description
        ? field('span', 'description', description, description, markup` class="description"`)
        : null,
      markup`</p>`,
    ],
    '\n',
  );
}

/** The release a rollout carries (version, else short sha), as a card's leaf. */
function rolloutReleaseField(rollout: RolloutStanding): Markup {
  const release = rolloutRelease(rollout);
  return field('span', 'rollout-release', release, release, markup` class="version"`);
}

/**
 * A rollout in progress: the release rolling out and a progress indicator, `step 2 of 3` with the step's label
 * (a `<progress>` bar when the step is legible).
 */
function rolloutProgress(rollout: RolloutStanding): Markup {
  const { step, steps, label } = rollout;
  const legible = step !== null && steps !== null;
  const bar = legible
    ? markup`<progress max="${steps}" value="${step}" aria-label="Rollout step ${step} of ${steps}"></progress>`
    : null;
  const where = legible ? `step ${step} of ${steps}` : 'step unknown';
  const labelled = label
    ? field('span', 'rollout-label', label, markup`(${label})`, markup` class="muted"`)
    : null;
  return joinMarkup(
    [
      markup`<p class="rollout-head"><span class="label">Rolling out</span> ${rolloutReleaseField(rollout)}</p>`,
      bar,
      markup`<p class="rollout-step">${field('strong', 'rollout-step', step, where)} ${labelled}</p>`,
    ],
    '\n',
  );
}

/** A rollout that failed or halted: what happened at which step, and that the release is held here. */
function rolloutHeld(rollout: RolloutStanding): Markup {
  const phrase = rolloutPhrase(rollout) ?? '';
  return markup`<p class="rollout-head">${rolloutReleaseField(rollout)} ${field('span', 'rollout-text', phrase, phrase)}</p>
<p class="rollout-note">Held here: prepare-release refuses it in this environment without force.</p>`;
}

/** The rollout of the environment's newest deployment, in progress or holding its release; null otherwise. */
function cardRollout(environment: BoardEnvironment): Markup | null {
  const { rollout } = environment;
  if (!rollout || rollout.state === 'completed') return null;
  const held = rolloutHolds(rollout);
  const body = held ? rolloutHeld(rollout) : rolloutProgress(rollout);
  return field(
    'div',
    'rollout',
    rollout,
    markup`\n${body}\n`,
    markup` class="rollout rollout-${held ? 'held' : 'busy'}"`,
  );
}

/** Since when a card's release runs, who prepared it and how long ago it was accepted; null when unknown. */
function cardFacts(environment: BoardEnvironment, now: string): Markup | null {
  const facts: Markup[] = [];
  if (environment.since) {
    facts.push(markup`<div><dt>Since</dt><dd>${timeField('since', environment.since, now)}</dd></div>`);
  }
  if (environment.by) {
    facts.push(markup`<div><dt>By</dt><dd>${field('span', 'by', environment.by, environment.by)}</dd></div>`);
  }
  if (typeof environment.daysSinceRelease === 'number') {
    const days = environment.daysSinceRelease;
    const label = days === 0 ? 'today' : days === 1 ? 'yesterday' : `${count(days, 'day')} ago`;
    facts.push(
      markup`<div><dt>Last release</dt><dd>${field('span', 'days-since-release', days, label)}</dd></div>`,
    );
  }
  if (facts.length === 0) return null;
  return markup`<dl class="facts">
${joinMarkup(facts, '\n')}
</dl>`;
}

/** One environment's card. */
function environmentCard(board: StatusBoard, environment: BoardEnvironment): Markup {
  const tone = environment.state ? (STATE_CLASSES[environment.state] ?? 'idle') : 'empty';
  return joinMarkup(
    [
      markup`<article class="env tone-${tone}" data-environment="${environment.environment}">`,
      markup`<div class="env-head">`,
      field('h2', 'environment', environment.environment, environment.environment),
      cardBadges(environment),
      markup`</div>`,
      cardRelease(board, environment),
      cardState(environment),
      cardRollout(environment),
      cardFacts(environment, board.report.generatedAt),
      markup`</article>`,
    ],
    '\n',
  );
}

/** The authors of waiting commits: the report's list, or the logins (else names) of the commits it lists. */
function waitingAuthors(pending: BoardPending): string[] {
  if (pending.authors) return pending.authors;
  const authors = pending.commits.map((commit) => commit.authorLogin ?? commit.authorName).filter(Boolean);
  return [...new Set(authors)];
}

/**
 * The oldest waiting commit: the report's, or the first commit listed when the list holds every waiting commit
 * (it is oldest first).
 */
function oldestWaiting(pending: BoardPending): OldestWaiting | null {
  if (pending.oldest !== undefined) return pending.oldest;
  const first = pending.commits[0];
  return first && pending.count === pending.commits.length
    ? { sha: first.sha, subject: first.subject }
    : null;
}

/** How many commits wait, as the connector's headline. */
function pendingCount(pending: BoardPending): Markup {
  if (pending.count === null) {
    return markup`<p class="count">${field('strong', 'count', null, 'Everything')} in ${pending.from} waits</p>`;
  }
  if (pending.count === 0) return markup`<p class="count">${field('strong', 'count', 0, 'Up to date')}</p>`;
  const number = field('strong', 'count', pending.count, pending.count, markup` class="number"`);
  return markup`<p class="count">${number} ${pending.count === 1 ? 'commit waits' : 'commits wait'}</p>`;
}

/** Who wrote the waiting commits; null when nobody is known. */
function pendingAuthors(pending: BoardPending): Markup | null {
  const authors = waitingAuthors(pending);
  if (authors.length === 0) return null;
  const items = authors.map((author) => markup`<li>${author}</li>`);
  return markup`<div class="authors"><span class="label">by</span> ${field('ul', 'authors', authors, items)}</div>`;
}

/** The oldest waiting commit, how old it is and how long it has waited; null when it is not known. */
function pendingOldest(board: StatusBoard, pending: BoardPending): Markup | null {
  const oldest = oldestWaiting(pending);
  if (!oldest) return null;
  const now = board.report.generatedAt;
  const subject = field('span', 'oldest-subject', oldest.subject, oldest.subject, markup` class="subject"`);
  const ages: Markup[] = [];
  if (oldest.committedAt) {
    const label = ago(oldest.committedAt, now) ?? displayTime(oldest.committedAt);
    ages.push(markup`committed ${relativeTimeField('committed-at', oldest.committedAt, label)}`);
  }
  if (oldest.waitingSince) {
    const span = elapsed(oldest.waitingSince, now);
    const label = span ? `for ${span}` : `since ${displayTime(oldest.waitingSince)}`;
    ages.push(markup`waiting ${relativeTimeField('waiting-since', oldest.waitingSince, label)}`);
  }
  return joinMarkup(
    [
      markup`<p class="oldest"><span class="label">Oldest</span> ${subject} ${shaLink(board, 'oldest-sha', oldest.sha)}</p>`,
      ages.length > 0 && markup`<p class="ages">${joinMarkup(ages, ' · ')}</p>`,
    ],
    '\n',
  );
}

/** The newest 20 waiting commits, folded; null when the report lists none. */
function pendingCommits(board: StatusBoard, pending: BoardPending): Markup | null {
  if (pending.commits.length === 0) return null;
  const newestFirst = [...pending.commits].reverse().slice(0, 20);
  const items = newestFirst.map(
    (commit) =>
      markup`<li>${shaLink(board, 'commit-sha', commit.sha)} ${commit.subject} <span class="muted">${commit.authorLogin ?? commit.authorName}</span></li>`,
  );
  const label =
    newestFirst.length < pending.commits.length || (pending.count ?? 0) > pending.commits.length
      ? `The newest ${newestFirst.length} commits`
      : count(newestFirst.length, 'commit');
  return markup`<details><summary>${label}</summary><ol>
${joinMarkup(items, '\n')}
</ol></details>`;
}

/** What waits between two neighbouring environments, drawn as the arrow between their cards. */
function pendingConnector(board: StatusBoard, below: string, environment: BoardEnvironment): Markup {
  const pending = environment.pending as BoardPending | null;
  if (!pending) {
    return markup`<div class="pending pending-none">
<div class="arrow" aria-hidden="true"></div>
<p class="muted">Nothing accepted in ${below} yet</p>
</div>`;
  }
  const clear = pending.count === 0 ? ' pending-clear' : '';
  return joinMarkup(
    [
      markup`<div class="pending${clear}" data-pending-from="${pending.from}" data-pending-to="${environment.environment}">`,
      markup`<div class="arrow" aria-hidden="true"></div>`,
      pendingCount(pending),
      pendingAuthors(pending),
      pendingOldest(board, pending),
      pendingCommits(board, pending),
      markup`</div>`,
    ],
    '\n',
  );
}

/** The rows of the DORA metrics table: what is measured, its value, and what it is based on. */
function metricsRows(metrics: DoraMetrics): Array<[string, Markup, MarkupValue]> {
  const hours = (name: string, value: number | null) =>
    metric(name, value, value === null ? noData() : duration(value));
  const samples = (name: string, value: number, one: string, many: string) =>
    markup`${metric(name, value, String(value))} ${value === 1 ? one : many}`;
  const { changeFailureRate: failures, leadTimeHours: leadTime, timeToRestoreHours: restore } = metrics;
  const rate = failures.rate;
  return [
    [
      'Deployment frequency',
      metric(
        'deployments-per-day',
        metrics.deploymentsPerDay,
        `${decimal(metrics.deploymentsPerDay, 2)} per day`,
      ),
      markup`${samples('deployments', metrics.deployments, 'release', 'releases')} accepted`,
    ],
    [
      'Lead time for changes, median',
      hours('lead-time-median-hours', leadTime.median),
      samples('lead-time-samples', leadTime.samples, 'release', 'releases'),
    ],
    [
      'Lead time for changes, 90th percentile',
      hours('lead-time-p90-hours', leadTime.p90),
      'commit to acceptance',
    ],
    [
      'Change failure rate',
      metric('change-failure-rate', rate, rate === null ? noData() : `${decimal(rate * 100, 1)} %`),
      markup`${metric('change-failures', failures.failed, String(failures.failed))} of ${metric('change-total', failures.total, String(failures.total))} releases failed`,
    ],
    [
      'Time to restore, median',
      hours('time-to-restore-median-hours', restore.median),
      samples('time-to-restore-samples', restore.samples, 'restoration', 'restorations'),
    ],
  ];
}

/** The DORA metrics table, or a note when they were not computed. */
function metricsSection(metrics: DoraMetrics | undefined): Markup {
  if (!metrics) {
    return markup`<section class="metrics" aria-labelledby="metrics-title">
<h2 id="metrics-title">Delivery metrics</h2>
<p class="muted">Metrics were not computed for this report.</p>
</section>`;
  }
  const rows = metricsRows(metrics).map(
    ([label, value, basis]) =>
      markup`<tr><th scope="row">${label}</th><td class="value">${value}</td><td class="muted">${basis}</td></tr>`,
  );
  return markup`<section class="metrics" aria-labelledby="metrics-title">
<h2 id="metrics-title">Delivery metrics</h2>
<p class="muted">${metrics.environment} · last ${metrics.windowDays} days (${displayTime(metrics.from)} to ${displayTime(metrics.to)})</p>
<table>
<thead><tr><th scope="col">Metric</th><th scope="col">Value</th><th scope="col">Based on</th></tr></thead>
<tbody>
${joinMarkup(rows, '\n')}
</tbody>
</table>
</section>`;
}

/** The style of the page and of the environment cards (static: nothing is interpolated). */
function pageAndCardStyle(): Markup {
  return markup`
:root { color-scheme: light; --text: #1f2328; --muted: #59636e; --line: #d1d9e0; --card: #ffffff;
  --page: #f6f8fa; --good: #1a7f37; --bad: #cf222e; --busy: #9a6700; --idle: #818b98; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--text); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
.page { max-width: 1240px; margin: 0 auto; padding: 28px 24px 40px; }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px 24px;
  margin-bottom: 24px; }
h1 { font-size: 24px; margin: 0; font-weight: 600; }
h1 .repo { color: var(--muted); font-weight: 400; }
h2 { font-size: 17px; margin: 0; font-weight: 600; overflow-wrap: anywhere; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.muted, .none { color: var(--muted); }
.label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
code, .sha, .version { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.chain { display: flex; align-items: stretch; margin-bottom: 28px; overflow-x: auto; padding-bottom: 2px; }
.env { flex: 1 1 0; min-width: 170px; background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  border-top: 4px solid var(--idle); padding: 16px 18px; box-shadow: 0 1px 2px rgba(31, 35, 40, .06); }
.env.tone-good { border-top-color: var(--good); }
.env.tone-bad { border-top-color: var(--bad); }
.env.tone-busy { border-top-color: var(--busy); }
.env.tone-empty { border-top-color: var(--line); background: #fbfcfd; }
.env-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
.badges { display: flex; gap: 6px; }
.badge { font-size: 12px; font-weight: 600; border-radius: 999px; padding: 1px 9px; border: 1px solid; }
.badge-rollback { color: var(--bad); border-color: #ffcecb; background: #ffebe9; }
.badge-stale { color: var(--busy); border-color: #f5e0a3; background: #fff8c5; }
.badge-held { color: var(--bad); border-color: #ffcecb; background: #ffebe9; }
.rollout { margin: 0 0 10px; padding: 8px 10px; border-radius: 8px; font-size: 13px; overflow-wrap: anywhere; }
.rollout p { margin: 0; }
.rollout-busy { background: #fff8c5; border: 1px solid #f5e0a3; }
.rollout-held { background: #ffebe9; border: 1px solid #ffcecb; }
.rollout-held .rollout-head { color: var(--bad); font-weight: 600; }
.rollout .version { font-size: 13px; }
.rollout-note { color: var(--muted); margin-top: 2px; }
.rollout progress { display: block; width: 100%; height: 8px; margin: 6px 0 4px; accent-color: var(--busy); }
.rollout-step strong { color: var(--busy); }
.release { margin: 12px 0 6px; display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; overflow-wrap: anywhere; }
.version { font-size: 22px; font-weight: 600; }
.version-none { font-size: 15px; color: var(--muted); font-weight: 400; font-family: inherit; }
.release-none { color: var(--muted); font-style: italic; }
.sha { font-size: 13px; }
.state { margin: 0 0 10px; display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; overflow-wrap: anywhere; }
.state-name { font-weight: 600; }
.dot { width: 9px; height: 9px; border-radius: 50%; background: var(--idle); display: inline-block; flex: none; }
.tone-good .dot { background: var(--good); } .tone-good .state-name { color: var(--good); }
.tone-bad .dot { background: var(--bad); } .tone-bad .state-name { color: var(--bad); }
.tone-busy .dot { background: var(--busy); } .tone-busy .state-name { color: var(--busy); }
.description { color: var(--muted); font-size: 13px; }
.facts { margin: 14px 0 0; padding-top: 12px; border-top: 1px solid #eaeef2; display: flex; flex-wrap: wrap;
  gap: 10px 24px; font-size: 14px; }
.facts div { min-width: 0; }
dt { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
dd { margin: 0; overflow-wrap: anywhere; }
.age { display: block; color: var(--muted); font-size: 12px; }
.ages { color: var(--muted); }
.ages time { color: var(--text); }
`;
}

/** The style of the connectors between cards, the metrics table and narrow screens (static). */
function connectorAndMetricsStyle(): Markup {
  return markup`.pending { flex: .7 1 0; min-width: 150px; padding: 26px 14px 8px; font-size: 13px; overflow-wrap: break-word; }
.arrow { position: relative; height: 2px; background: var(--idle); margin: 0 8px 14px 0; }
.arrow::after { content: ""; position: absolute; right: -8px; top: -5px; border-left: 10px solid var(--idle);
  border-top: 6px solid transparent; border-bottom: 6px solid transparent; }
.pending-clear .arrow { background: var(--good); }
.pending-clear .arrow::after { border-left-color: var(--good); }
.pending p { margin: 0 0 8px; }
.count strong { font-size: 15px; font-weight: 600; }
.count .number { font-size: 22px; margin-right: 2px; }
.pending-clear .count strong { color: var(--good); }
.authors { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; margin-bottom: 8px; }
.authors ul { display: inline-flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: 0; padding: 0; }
.authors li { background: #ddf4ff; color: #0550ae; border-radius: 999px; padding: 0 8px; }
.oldest .subject { font-weight: 500; }
details { margin-top: 4px; }
summary { cursor: pointer; color: var(--accent); }
details ol { margin: 6px 0 0; padding-left: 18px; }
details li { margin-bottom: 3px; }
.metrics { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; }
.metrics > p { margin: 4px 0 12px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 9px 12px; border-top: 1px solid var(--line); vertical-align: baseline; }
thead th { border-top: none; color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase;
  letter-spacing: .04em; }
tbody th { font-weight: 500; }
td.value { font-size: 17px; font-weight: 600; white-space: nowrap; }
td.value .none { font-size: 15px; font-weight: 400; }
footer { margin-top: 20px; font-size: 12px; color: var(--muted); }
@media (max-width: 860px) {
  .chain { flex-direction: column; }
  .env { flex: none; }
  .pending { flex: none; padding: 12px 8px 12px 30px; position: relative; }
  .arrow { position: absolute; left: 14px; top: 8px; bottom: 14px; width: 2px; height: auto; margin: 0; }
  .arrow::after { right: auto; top: auto; bottom: -8px; left: -5px; border-left: 6px solid transparent;
    border-right: 6px solid transparent; border-top: 10px solid var(--idle); border-bottom: none; }
  .pending-clear .arrow::after { border-left-color: transparent; border-top-color: var(--good); }
  th, td { padding: 8px 6px; }
  td.value { white-space: normal; }
}
`;
}

/**
 * The promotion board: one self-contained HTML5 page (inline CSS, no script, no external asset; a
 * Content-Security-Policy forbids loading any) showing the chain of environments left to right, each with its
 * release, state, since when and by whom, rollback and stale badges, and the rollout of its newest deployment
 * (a progress indicator while it goes on, a badge when it failed or halted and holds its release); between
 * neighbours the changes waiting to be promoted; and the delivery metrics. Suitable for GitHub Pages or an artifact. Every untrusted string is
 * escaped (the page is built with the `markup` template); every value shown is also in a `data-value` attribute (JSON) of the element with its `data-field`
 * (inside `[data-environment]` cards and `[data-pending-to]` connectors) or `data-metric`.
 */
export function renderStatusBoard(board: StatusBoard): string {
  const { report } = board;
  const chain: Markup[] = [];
  report.environments.forEach((environment, index) => {
    const below = report.environments[index - 1];
    if (below) chain.push(pendingConnector(board, below.environment, environment));
    chain.push(environmentCard(board, environment));
  });
  const generatedAt = field(
    'time',
    'generated-at',
    report.generatedAt,
    displayTime(report.generatedAt),
    markup` datetime="${report.generatedAt}"`,
  );
  const page = markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>Promotion board · ${board.repository}</title>
<style>${pageAndCardStyle()}${connectorAndMetricsStyle()}</style>
</head>
<body>
<div class="page">
<header class="top">
<h1>Promotion board <span class="repo">${board.repository}</span></h1>
<p class="muted">Generated ${generatedAt}</p>
</header>
<main>
<section class="chain" aria-label="Environments">
${chain.length > 0 ? joinMarkup(chain, '\n') : markup`<p class="muted">No environment is configured.</p>`}
</section>
${metricsSection(board.metrics)}
</main>
<footer>Written by the status action of release promotion. Times are UTC.</footer>
</div>
</body>
</html>
`;
  return page.toString();
}
