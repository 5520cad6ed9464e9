import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import { parsePromotionConfig } from '../packages/core/src/chain/promotion-config.js';
import type { DoraMetrics } from '../packages/core/src/metrics/metric-types.js';
import { renderStatusBoard } from '../packages/core/src/report/status-board.js';
import { acceptRelease } from '../packages/core/src/use-cases/accept.js';
import { deployEnvironment } from '../packages/core/src/use-cases/deploy-env.js';
import { prepareRelease } from '../packages/core/src/use-cases/prepare-release.js';
import type { RolloutStanding } from '../packages/core/src/use-cases/rollout-standing.js';
import { setDeploymentState } from '../packages/core/src/state/deployments.js';
import {
  readStatus,
  type EnvironmentStatus,
  type StatusReport,
} from '../packages/core/src/use-cases/status.js';
import { REPOSITORY_ROOT } from './harness/action-metadata.js';
import { findChromium } from './harness/chromium.js';
import { coreRun } from './harness/promotion-state.js';

// The promotion board page (issue 6, part 5): rendered from a real status report of the emulator, loaded in
// headless Chromium, read back through its data attributes, and photographed for people to look at. Production
// is rolling the next release out (a canary at step 2 of 3), as deploy-env records it.

const SERVER_URL = 'https://github.com';
const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_SUBJECT = `fix: ${HOSTILE} & "quoted" 'text'`;
// git drops angle brackets from names: an entity shows whether names are escaped.
const HOSTILE_AUTHOR = 'Mallory "&amp;" Eve';
const CONFIG = parsePromotionConfig(
  'environments: [integration, preproduction, production]',
  'status board test',
);
const SCREENSHOT = join(REPOSITORY_ROOT, 'test-artifacts', 'status-board.png');

/** DORA metrics made by hand: values whose display is known (26.4 h, 2.9 days, 15.4 %, 45 min). */
const METRICS: DoraMetrics = {
  environment: 'production',
  windowDays: 30,
  from: '2025-05-02T09:00:00.000Z',
  to: '2025-06-01T09:00:00.000Z',
  deployments: 12,
  deploymentsPerDay: 0.4,
  leadTimeHours: { median: 26.4, p90: 70.25, samples: 12 },
  changeFailureRate: { failed: 2, total: 13, rate: 2 / 13 },
  timeToRestoreHours: { median: 0.75, samples: 2 },
  requests: 1,
};

const chromiumLookup = findChromium();
if (!chromiumLookup.available) {
  console.log(`status board: the tests in headless Chromium are skipped: ${chromiumLookup.reason}`);
}
const inChromium = chromiumLookup.available ? it : it.skip;

let emulator: Emulator;
let report: StatusReport;
let runId = 900;
let directory: string;

/** Prepares, deploys and accepts `sha` in `environment`, as three steps of one workflow run. */
async function promote(sha: string, environment: string): Promise<void> {
  runId += 1;
  const run = { ...coreRun(emulator, runId, sha), config: CONFIG };
  await prepareRelease(run, { environment, force: false, dryRun: false });
  await deployEnvironment(run, {
    environment,
    deploymentId: undefined,
    status: 'success',
    run: undefined,
    environmentUrl: undefined,
    dryRun: false,
  });
  await acceptRelease(run, { environment, deploymentId: undefined, approval: 'none', dryRun: false });
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'status-board-'));
  emulator = await startEmulator();
  for (const login of ['alice', 'bob', 'carol']) emulator.seed.user(login, `${login}@example.com`);
  const author = (login: string) => ({ name: login, email: `${login}@example.com` });
  const first = emulator.git.commit('feat: checkout page', { author: author('alice'), date: daysAgo(9) });
  for (const environment of ['integration', 'preproduction', 'production']) await promote(first, environment);
  // Waiting for production: the hostile fix and the search (accepted in preproduction).
  emulator.git.commit(HOSTILE_SUBJECT, { author: author('bob'), date: daysAgo(6) });
  const search = emulator.git.commit('feat: search the catalogue', {
    author: author('carol'),
    date: daysAgo(4),
  });
  for (const environment of ['integration', 'preproduction']) await promote(search, environment);
  // Waiting for preproduction: one commit by an author GitHub does not know, with a hostile name.
  const cart = emulator.git.commit('fix: cart total rounding', {
    author: { name: HOSTILE_AUTHOR, email: 'mallory@example.net' },
    date: daysAgo(1),
  });
  await promote(cart, 'integration');
  // Production rolls the search release out: prepared, deploying, canary step 2 of 3 done and watched.
  const rolling = { ...coreRun(emulator, (runId += 1), search), config: CONFIG };
  const prepared = await prepareRelease(rolling, { environment: 'production', force: false, dryRun: false });
  const repository = { owner: emulator.owner, repo: emulator.repo };
  const deploymentId = prepared.deploymentId;
  if (deploymentId === undefined) throw new Error('prepare-release created no deployment for production');
  for (const description of [
    'Deploying 1.1.0',
    'Step 1/3: 10% — watching 10m',
    'Step 2/3: 50% — watching 10m',
  ]) {
    await setDeploymentState(rolling.client, repository, deploymentId, {
      state: 'in_progress',
      description,
    });
  }
  report = await readStatus({ ...coreRun(emulator, 999, cart), config: CONFIG });
});

afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  expect(emulator.problems).toEqual([]);
  await emulator.close();
});

// ---- Reading the page back -------------------------------------------------------------------------------

/** Entities an HTML serialiser writes (Chromium's `--dump-dom` and our page alike). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, entity: string) => {
    const named: Record<string, string> = {
      amp: '&',
      lt: '<',
      gt: '>',
      quot: '"',
      apos: "'",
      nbsp: '\u00a0',
    };
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return named[entity.toLowerCase()] ?? '';
  });
}

/** One element of the page: its tag, attributes (decoded), inner HTML and text. */
interface PageElement {
  tag: string;
  attributes: Record<string, string>;
  inner: string;
  text: string;
}

/** Every element whose opening tag matches `attribute` (="value" when given), with its content. */
function elementsWith(html: string, attribute: string, value?: string): PageElement[] {
  const found: PageElement[] = [];
  const opening = /<([a-z][a-z0-9]*)\b([^>]*)>/gi;
  for (let match = opening.exec(html); match; match = opening.exec(html)) {
    const tag = (match[1] as string).toLowerCase();
    const attributes: Record<string, string> = {};
    for (const [, name, raw] of (match[2] as string).matchAll(/([a-z][a-z0-9-]*)="([^"]*)"/gi)) {
      attributes[(name as string).toLowerCase()] = decodeEntities(raw as string);
    }
    if (!(attribute in attributes) || (value !== undefined && attributes[attribute] !== value)) continue;
    // The matching closing tag: count nested elements of the same name.
    const start = match.index + match[0].length;
    const sameTag = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'gi');
    sameTag.lastIndex = start;
    let depth = 1;
    let end = html.length;
    for (let next = sameTag.exec(html); next; next = sameTag.exec(html)) {
      depth += next[1] ? -1 : 1;
      if (depth === 0) {
        end = next.index;
        break;
      }
    }
    const inner = html.slice(start, end);
    const text = decodeEntities(inner.replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    found.push({ tag, attributes, inner, text });
  }
  return found;
}

/** The one element with `attribute="value"`. */
function theElement(html: string, attribute: string, value: string): PageElement {
  const found = elementsWith(html, attribute, value);
  expect(found.map((element) => element.attributes[attribute])).toEqual([value]);
  return found[0] as PageElement;
}

/** The `data-field` leaves inside an element, by name (the first of each name). */
function fieldsOf(element: PageElement): Map<string, PageElement> {
  const fields = new Map<string, PageElement>();
  for (const leaf of elementsWith(element.inner, 'data-field')) {
    const name = leaf.attributes['data-field'] as string;
    if (!fields.has(name)) fields.set(name, leaf);
  }
  return fields;
}

/** The value of a leaf as its `data-value` JSON gives it. */
function valueOf(leaf: PageElement | undefined): unknown {
  expect(leaf).toBeDefined();
  return JSON.parse(leaf?.attributes['data-value'] ?? 'undefined');
}

type BoardEnvironment = EnvironmentStatus & { stale?: boolean; daysSinceRelease?: number | null };
type BoardPending = NonNullable<EnvironmentStatus['pending']> & {
  authors?: string[];
  oldest?: { sha: string; subject: string; committedAt?: string | null; waitingSince?: string | null } | null;
};

function commitUrl(sha: string): string {
  return `${SERVER_URL}/${emulator.fullName}/commit/${sha}`;
}

/**
 * Checks that a card shows its environment's rollout: in progress, the release and `step n of m` with a
 * progress bar; failed or halted, a badge, what happened at which step, and that the release is held; nothing
 * for none or a completed one.
 */
function expectRolloutShown(card: PageElement, rollout: RolloutStanding | null): void {
  const fields = fieldsOf(card);
  if (!rollout || rollout.state === 'completed') {
    for (const name of ['rollout', 'rollout-held', 'rollout-step', 'rollout-text']) {
      expect([name, fields.has(name)]).toEqual([name, false]);
    }
    return;
  }
  expect(valueOf(fields.get('rollout'))).toEqual(rollout);
  expect(fields.get('rollout-release')?.text).toBe(rollout.version ?? rollout.sha.slice(0, 7));
  const where = `step ${rollout.step} of ${rollout.steps}`;
  if (rollout.state === 'in-progress') {
    expect(fields.has('rollout-held')).toBe(false);
    expect(fields.get('rollout-step')?.text).toBe(where);
    expect(valueOf(fields.get('rollout-step'))).toBe(rollout.step);
    if (rollout.label) expect(fields.get('rollout-label')?.text).toBe(`(${rollout.label})`);
    const bar = elementsWith(card.inner, 'max').filter((element) => element.tag === 'progress');
    expect(bar.map(({ attributes }) => [attributes.max, attributes.value])).toEqual([
      [String(rollout.steps), String(rollout.step)],
    ]);
    return;
  }
  expect(valueOf(fields.get('rollout-held'))).toBe(rollout.state);
  expect(fields.get('rollout-held')?.text).toBe(`rollout ${rollout.state}`);
  expect(fields.get('rollout-held')?.attributes.title).toBe(rollout.description);
  expect(fields.get('rollout-text')?.text).toBe(
    `rollout ${rollout.state} at ${where} (${rollout.label})` +
      (rollout.state === 'failed' && rollout.rolledBack ? ', rolled back' : ''),
  );
  expect(card.text).toContain('Held here: prepare-release refuses it in this environment without force.');
}

/**
 * Checks that the page (our HTML or the DOM Chromium rendered from it) shows exactly what the report and the
 * metrics hold: every environment, every waiting range and every metric, read back by its data attributes.
 */
function expectBoardMatches(html: string, shown: StatusReport, metrics: DoraMetrics): void {
  expect(valueOf(theElement(html, 'data-field', 'generated-at'))).toBe(shown.generatedAt);
  expect(elementsWith(html, 'data-environment').map((card) => card.attributes['data-environment'])).toEqual(
    shown.environments.map(({ environment }) => environment),
  );
  for (const environment of shown.environments as BoardEnvironment[]) {
    const card = theElement(html, 'data-environment', environment.environment);
    const fields = fieldsOf(card);
    expect(fields.get('environment')?.text).toBe(environment.environment);
    if (environment.version === null) expect(fields.has('version')).toBe(false);
    else expect(fields.get('version')?.text).toBe(environment.version);
    if (environment.sha === null) {
      expect(fields.has('sha')).toBe(false);
      expect(card.text).toContain('Nothing accepted yet');
    } else {
      expect(valueOf(fields.get('sha'))).toBe(environment.sha);
      expect(fields.get('sha')?.text).toBe(environment.sha.slice(0, 7));
      expect(fields.get('sha')?.attributes.href).toBe(commitUrl(environment.sha));
    }
    for (const [name, value] of [
      ['state', environment.state],
      ['description', environment.description],
      ['by', environment.by],
    ] as const) {
      if (value === null) expect(fields.has(name)).toBe(false);
      else {
        expect(valueOf(fields.get(name))).toBe(value);
        // States read as words: `in_progress` shows as `in progress`.
        expect(fields.get(name)?.text).toBe(name === 'state' ? value.replace(/_/g, ' ') : value);
      }
    }
    if (environment.since === null) expect(fields.has('since')).toBe(false);
    else {
      expect(valueOf(fields.get('since'))).toBe(environment.since);
      expect(fields.get('since')?.attributes.datetime).toBe(environment.since);
      expect(fields.get('since')?.text).toBe(`${environment.since.slice(0, 16).replace('T', ' ')} UTC`);
    }
    expect(fields.has('rollback')).toBe(environment.rollback);
    expect(fields.has('stale')).toBe(environment.stale === true);
    if (typeof environment.daysSinceRelease === 'number') {
      expect(valueOf(fields.get('days-since-release'))).toBe(environment.daysSinceRelease);
    } else {
      expect(fields.has('days-since-release')).toBe(false);
    }
    expectRolloutShown(card, environment.rollout ?? null);
  }

  const connectors = elementsWith(html, 'data-pending-to');
  const pendingOf = shown.environments.filter((environment) => environment.pending);
  expect(connectors.map((connector) => connector.attributes['data-pending-to'])).toEqual(
    pendingOf.map(({ environment }) => environment),
  );
  for (const environment of pendingOf) {
    const pending = environment.pending as BoardPending;
    const connector = theElement(html, 'data-pending-to', environment.environment);
    expect(connector.attributes['data-pending-from']).toBe(pending.from);
    const fields = fieldsOf(connector);
    expect(valueOf(fields.get('count'))).toBe(pending.count);
    if (pending.count) expect(fields.get('count')?.text).toBe(String(pending.count));
    // Authors: the report's list when it has one, else who wrote the commits it lists (login, else name).
    const authors = pending.authors ?? [
      ...new Set(pending.commits.map((commit) => commit.authorLogin ?? commit.authorName)),
    ];
    if (authors.length === 0) expect(fields.has('authors')).toBe(false);
    else {
      expect(valueOf(fields.get('authors'))).toEqual(authors);
      expect(fields.get('authors')?.inner.match(/<li>/g)?.length).toBe(authors.length);
    }
    const oldest =
      pending.oldest !== undefined
        ? pending.oldest
        : pending.count === pending.commits.length && pending.commits[0]
          ? { ...pending.commits[0], waitingSince: undefined, committedAt: undefined }
          : null;
    if (!oldest) expect(fields.has('oldest-subject')).toBe(false);
    else {
      expect(fields.get('oldest-subject')?.text).toBe(oldest.subject);
      expect(valueOf(fields.get('oldest-sha'))).toBe(oldest.sha);
      expect(fields.get('oldest-sha')?.attributes.href).toBe(commitUrl(oldest.sha));
      if (oldest.waitingSince) expect(valueOf(fields.get('waiting-since'))).toBe(oldest.waitingSince);
      if (oldest.committedAt) expect(valueOf(fields.get('committed-at'))).toBe(oldest.committedAt);
    }
    const listed = elementsWith(connector.inner, 'data-field', 'commit-sha').map((leaf) => valueOf(leaf));
    expect(listed).toEqual(pending.commits.map((commit) => commit.sha).reverse());
  }

  const shownMetrics = new Map(
    elementsWith(html, 'data-metric').map((leaf) => [leaf.attributes['data-metric'] as string, leaf]),
  );
  const expected: Array<[string, number | null, string]> = [
    ['deployments', metrics.deployments, String(metrics.deployments)],
    [
      'deployments-per-day',
      metrics.deploymentsPerDay,
      `${Number(metrics.deploymentsPerDay.toFixed(2))} per day`,
    ],
    ['lead-time-median-hours', metrics.leadTimeHours.median, ''],
    ['lead-time-p90-hours', metrics.leadTimeHours.p90, ''],
    ['lead-time-samples', metrics.leadTimeHours.samples, String(metrics.leadTimeHours.samples)],
    ['change-failure-rate', metrics.changeFailureRate.rate, ''],
    ['change-failures', metrics.changeFailureRate.failed, String(metrics.changeFailureRate.failed)],
    ['change-total', metrics.changeFailureRate.total, String(metrics.changeFailureRate.total)],
    ['time-to-restore-median-hours', metrics.timeToRestoreHours.median, ''],
    [
      'time-to-restore-samples',
      metrics.timeToRestoreHours.samples,
      String(metrics.timeToRestoreHours.samples),
    ],
  ];
  expect([...shownMetrics.keys()].sort()).toEqual(expected.map(([name]) => name).sort());
  for (const [name, value, text] of expected) {
    expect([name, valueOf(shownMetrics.get(name))]).toEqual([name, value]);
    if (value === null) expect([name, shownMetrics.get(name)?.text]).toEqual([name, 'no data']);
    else if (text) expect([name, shownMetrics.get(name)?.text]).toEqual([name, text]);
  }
}

/** The page's external references: everything that could load or link to something outside the page. */
function expectSelfContained(html: string, repository: string): void {
  const allowedLink = new RegExp(
    `^${`${SERVER_URL}/${repository}/commit/`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[0-9a-f]{40}$`,
  );
  // Every tag of the page (text cannot hold one: a `<` in text is serialised as `&lt;`).
  const tags = [...html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)].map(([, tag, attributes]) => ({
    tag: (tag as string).toLowerCase(),
    names: [...(attributes as string).matchAll(/\s([^\s"'=/>]+)(?:="[^"]*")?/g)].map(([, name]) =>
      (name as string).toLowerCase(),
    ),
    href: /\shref="([^"]*)"/.exec(attributes as string)?.[1],
  }));
  expect(tags.length).toBeGreaterThan(50);
  // No element that loads anything: scripts, style sheets, images, frames, media, objects, forms, bases.
  const loading = ['script', 'link', 'img', 'iframe', 'frame', 'object', 'embed', 'video', 'audio', 'source'];
  loading.push('picture', 'svg', 'form', 'base', 'input', 'button');
  expect(tags.filter(({ tag }) => loading.includes(tag))).toEqual([]);
  // No attribute that loads, points anywhere or runs script, except the commit links.
  const attributes = tags.flatMap(({ tag, names }) => names.map((name) => `${tag} ${name}`));
  expect(
    attributes.filter((name) =>
      /\s(src|srcset|poster|action|formaction|background|ping|xlink:href|style|on\w+)$/.test(name),
    ),
  ).toEqual([]);
  expect(html).not.toMatch(/url\s*\(|@import/i);
  const links = tags.filter(({ href }) => href !== undefined);
  expect(links.length).toBeGreaterThan(0);
  for (const { tag, href } of links) {
    expect([tag, decodeEntities(href as string)]).toEqual(['a', expect.stringMatching(allowedLink)]);
  }
  // Nothing else names another site.
  expect(html.replace(/\shref="[^"]*"/g, '')).not.toMatch(/https?:\/\/|\/\/[a-z0-9-]+\.[a-z]/i);
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect(png.subarray(-8, -4).toString('latin1')).toBe('IEND');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A variant of the report with hostile text in every free-text field of the page. */
function hostileReport(): StatusReport {
  const environments = report.environments.map((environment) => ({
    ...environment,
    version: environment.version === null ? null : HOSTILE,
    by: environment.by === null ? null : `"><script>alert(1)</script>`,
    description: `</span><b>bold</b> ${HOSTILE}`,
    state: environment.state === null ? null : `success' onmouseover='alert(1)`,
    rollout: environment.rollout && { ...environment.rollout, label: HOSTILE, version: HOSTILE },
  }));
  return { ...report, environments };
}

/**
 * The report with preproduction holding a release its rollout halted and production one its rollout failed at
 * and rolled back (instead of the canary in progress).
 */
function heldReport(): StatusReport {
  const production = report.environments[2]?.rollout as RolloutStanding;
  const held: Record<string, RolloutStanding> = {
    preproduction: {
      ...production,
      state: 'halted',
      rolledBack: false,
      description: 'Rollout halted at step 1/2 (eu-west-1): p99 latency 2.1s',
      step: 1,
      steps: 2,
      label: 'eu-west-1',
    },
    production: {
      ...production,
      state: 'failed',
      rolledBack: true,
      description: 'Rollout failed at step 2/3 (50%), rolled back: healthz: 500',
    },
  };
  const environments = report.environments.map((environment) => ({
    ...environment,
    rollout: held[environment.environment] ?? environment.rollout,
  }));
  return { ...report, environments };
}

describe('the promotion board page', () => {
  it('is rendered from a real status report with two ranges waiting and a rollout in progress', () => {
    const [integration, preproduction, production] = report.environments;
    expect(integration?.version).toBeNull();
    expect(preproduction?.version).toBe('1.1.0');
    expect(production?.version).toBe('1.0.0');
    // Production still runs 1.0.0 (its tag); its newest deployment rolls 1.1.0 out.
    expect(production?.rollout).toMatchObject({
      step: 2,
      steps: 3,
      label: '50%',
      state: 'in-progress',
      version: '1.1.0',
      description: 'Step 2/3: 50% — watching 10m',
    });
    expect(integration?.rollout).toBeNull();
    expect(preproduction?.rollout).toBeNull();
    expect(preproduction?.pending?.count).toBe(1);
    expect(production?.pending?.count).toBe(2);
    expect(production?.pending?.commits.map((commit) => commit.subject)).toEqual([
      HOSTILE_SUBJECT,
      'feat: search the catalogue',
    ]);
  });

  it('shows every value of the report and the metrics, in its own HTML', () => {
    const html = renderStatusBoard({
      repository: emulator.fullName,
      serverUrl: SERVER_URL,
      report,
      metrics: METRICS,
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<title>Promotion board · ${emulator.fullName}</title>`);
    expectBoardMatches(html, report, METRICS);
    // Durations and rates as people read them.
    const text = (name: string) => theElement(html, 'data-metric', name).text;
    expect(text('lead-time-median-hours')).toBe('26.4 h');
    expect(text('lead-time-p90-hours')).toBe('2.9 days');
    expect(text('change-failure-rate')).toBe('15.4 %');
    expect(text('time-to-restore-median-hours')).toBe('45 min');
    expectSelfContained(html, emulator.fullName);
  });

  it('shows "no data" for missing metrics, and says when none were computed', () => {
    const empty: DoraMetrics = {
      ...METRICS,
      deployments: 0,
      deploymentsPerDay: 0,
      leadTimeHours: { median: null, p90: null, samples: 0 },
      changeFailureRate: { failed: 0, total: 0, rate: null },
      timeToRestoreHours: { median: null, samples: 0 },
    };
    const html = renderStatusBoard({
      repository: emulator.fullName,
      serverUrl: SERVER_URL,
      report,
      metrics: empty,
    });
    expectBoardMatches(html, report, empty);
    const none = renderStatusBoard({
      repository: emulator.fullName,
      serverUrl: SERVER_URL,
      report,
      metrics: undefined,
    });
    expect(elementsWith(none, 'data-metric')).toEqual([]);
    expect(none).toContain('Metrics were not computed');
  });

  it('shows the insight fields of newer reports: authors, oldest waiting, stale and rollback badges', () => {
    const insight: StatusReport = {
      ...report,
      environments: report.environments.map((environment, index) => ({
        ...environment,
        rollback: index === 2,
        stale: index === 1,
        daysSinceRelease: index === 0 ? null : 10 + index,
        pending: environment.pending && {
          ...environment.pending,
          authors: ['zoe', '<b>Mallory</b>'],
          oldest: {
            sha: environment.pending.commits[0]?.sha ?? 'f'.repeat(40),
            subject: `oldest ${HOSTILE}`,
            committedAt: '2025-05-20T08:00:00Z',
            waitingSince: '2025-05-21T09:30:00Z',
          },
        },
      })),
    };
    const html = renderStatusBoard({
      repository: emulator.fullName,
      serverUrl: SERVER_URL,
      report: insight,
      metrics: METRICS,
    });
    expectBoardMatches(html, insight, METRICS);
    expect(theElement(html, 'data-environment', 'preproduction').inner).toContain(
      'title="No release for 11 days"',
    );
    expect(html).not.toContain('<b>Mallory');
  });

  it('escapes hostile text in element text and attributes, and links nowhere but commits on the server', () => {
    const html = renderStatusBoard({
      repository: emulator.fullName,
      serverUrl: SERVER_URL,
      report: hostileReport(),
      metrics: METRICS,
    });
    expect(html).not.toMatch(/<img|<script|<b>|' onmouseover/);
    expectBoardMatches(html, hostileReport(), METRICS);
    expectSelfContained(html, emulator.fullName);
    // A server address that is not http(s) gives no link at all.
    const unlinked = renderStatusBoard({
      repository: emulator.fullName,
      serverUrl: 'javascript:alert(1)//',
      report,
      metrics: METRICS,
    });
    expect(unlinked).not.toMatch(/href=|javascript:/);
  });

  it('shows the badge of a release its rollout failed or halted, and that it is held there', () => {
    const held = heldReport();
    const html = renderStatusBoard({
      repository: emulator.fullName,
      serverUrl: SERVER_URL,
      report: held,
      metrics: METRICS,
    });
    expectBoardMatches(html, held, METRICS);
    const production = theElement(html, 'data-environment', 'production');
    expect(fieldsOf(production).get('rollout-text')?.text).toBe(
      'rollout failed at step 2 of 3 (50%), rolled back',
    );
    expect(fieldsOf(theElement(html, 'data-environment', 'preproduction')).get('rollout-held')?.text).toBe(
      'rollout halted',
    );
    expect(elementsWith(html, 'max').filter((element) => element.tag === 'progress')).toEqual([]);
  });

  inChromium('shows the rollout in progress and the held badges in the rendered DOM', async () => {
    if (!chromiumLookup.available) return;
    const doms = new Map<string, string>();
    for (const [name, shown] of [
      ['rollout', report],
      ['held', heldReport()],
    ] as const) {
      const page = join(directory, `${name}-board.html`);
      writeFileSync(
        page,
        renderStatusBoard({
          repository: emulator.fullName,
          serverUrl: SERVER_URL,
          report: shown,
          metrics: METRICS,
        }),
      );
      const dom = await chromiumLookup.chromium.dumpDom(pathToFileURL(page).href);
      expectBoardMatches(dom, shown, METRICS);
      doms.set(name, dom);
    }
    const rolling = theElement(doms.get('rollout') ?? '', 'data-environment', 'production');
    expect(rolling.text).toContain('Rolling out 1.1.0 step 2 of 3 (50%)');
    const held = theElement(doms.get('held') ?? '', 'data-environment', 'production');
    expect(held.text).toContain('rollout failed at step 2 of 3 (50%), rolled back Held here');
  });

  inChromium('renders in headless Chromium with the same values as the JSON', async () => {
    if (!chromiumLookup.available) return;
    const page = join(directory, 'status-board.html');
    writeFileSync(
      page,
      renderStatusBoard({ repository: emulator.fullName, serverUrl: SERVER_URL, report, metrics: METRICS }),
    );
    const dom = await chromiumLookup.chromium.dumpDom(pathToFileURL(page).href);
    expect(dom).toContain('<html lang="en">');
    expect(dom).toContain('</main>');
    expectBoardMatches(dom, report, METRICS);
    expectSelfContained(dom, emulator.fullName);
    // The hostile subject (the oldest commit waiting for production) is text in the DOM, not an element.
    const production = theElement(dom, 'data-pending-to', 'production');
    expect(fieldsOf(production).get('oldest-subject')?.text).toBe(HOSTILE_SUBJECT);
    expect(dom).not.toMatch(/<img|<b>/i);
    expect(theElement(dom, 'data-pending-to', 'preproduction').text).toContain(HOSTILE_AUTHOR);
  });

  inChromium('keeps hostile versions, logins and descriptions as text in the rendered DOM', async () => {
    if (!chromiumLookup.available) return;
    const page = join(directory, 'hostile-board.html');
    const hostile = hostileReport();
    writeFileSync(
      page,
      renderStatusBoard({
        repository: emulator.fullName,
        serverUrl: SERVER_URL,
        report: hostile,
        metrics: METRICS,
      }),
    );
    const dom = await chromiumLookup.chromium.dumpDom(pathToFileURL(page).href);
    expect(dom).not.toMatch(/<(img|script|b)\b/i);
    expectBoardMatches(dom, hostile, METRICS);
    expectSelfContained(dom, emulator.fullName);
    const production = fieldsOf(theElement(dom, 'data-environment', 'production'));
    expect(production.get('version')?.text).toBe(HOSTILE);
    expect(production.get('by')?.text).toBe(`"><script>alert(1)</script>`);
  });

  inChromium('writes a screenshot of the board to test-artifacts/status-board.png', async () => {
    if (!chromiumLookup.available) return;
    const { chromium } = chromiumLookup;
    const page = join(directory, 'status-board.html');
    writeFileSync(
      page,
      renderStatusBoard({ repository: emulator.fullName, serverUrl: SERVER_URL, report, metrics: METRICS }),
    );
    const blankPage = join(directory, 'blank.html');
    writeFileSync(blankPage, '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    const blank = join(directory, 'blank.png');
    mkdirSync(join(REPOSITORY_ROOT, 'test-artifacts'), { recursive: true });
    const size = { width: 1280, height: 860 };
    await chromium.screenshot(pathToFileURL(blankPage).href, blank, size);
    await chromium.screenshot(pathToFileURL(page).href, SCREENSHOT, size);
    const png = readFileSync(SCREENSHOT);
    expect(pngSize(png)).toEqual(size);
    expect(pngSize(readFileSync(blank))).toEqual(size);
    // A blank page compresses to almost nothing; the board's text, cards and table do not.
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10 * statSync(blank).size);
    console.log(`status board: screenshot in ${SCREENSHOT} (${png.length} bytes; ${chromium.version})`);
  });
});
