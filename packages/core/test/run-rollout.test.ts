/**
 * The rollout loop with fake effects, a row per situation: every command run (with its variables), every step
 * recorded, every watch and wait, in the order they happened. The steps and the rollback variables are the
 * real pure ones (`rollout-steps.ts`). Then the final status and the error line deploy-env writes for each way
 * a rollout ends (`rolloutFailureStatus`, `rolloutFailureLine`).
 */
import { describe, expect, it } from '@jest/globals';
import { CANARY_ROLLOUT as CANARY } from './support/fixtures.js';
import type { CheckSpec } from '../src/checks/check-spec.js';
import type { VerificationReport } from '../src/checks/run-verification.js';
import type { ShellCommandResult } from '../src/commands/run-shell-command.js';
import type { BlueGreenRollout, GradualRolloutConfig, PhasedRollout } from '../src/rollout/rollout-config.js';
import { rolloutEndText } from '../src/rollout/rollout-end.js';
import { rolloutStart } from '../src/rollout/rollout-resume.js';
import {
  rollbackVariables,
  rolloutSteps,
  stepStatusText,
  type ReplacedRelease,
  type RolloutStep,
  type SlotPair,
} from '../src/rollout/rollout-steps.js';
import {
  commandFailure,
  runRollout,
  type RolloutEffects,
  type RolloutOutcome,
  type RolloutTask,
} from '../src/rollout/run-rollout.js';
import { releaseProgress } from '../src/state/deployment-markers.js';
import { statusDescription } from '../src/state/deployments.js';
import { rolloutFailureLine, rolloutFailureStatus } from '../src/use-cases/deploy-rollout.js';
import { undoneByRollback } from '../src/use-cases/rollout-standing.js';
import { statuses } from './support/fixtures.js';
import { recordingLogger } from './support/loggers.js';

const MINUTE = 60_000;
const DEPLOY = './deploy.sh';
const UNDO = './undo.sh';
const HEALTHZ: CheckSpec = { kind: 'http', name: 'healthz', url: 'https://shop.example/healthz' };
const ERRORS: CheckSpec = { kind: 'command', name: 'error rate', run: './error-rate.sh' };
const PREVIOUS: ReplacedRelease = { sha: 'b'.repeat(40), version: '1.1.0' };
const LIVE_BLUE: SlotPair = { live: 'blue', idle: 'green' };

const PHASED: PhasedRollout = {
  strategy: 'phased',
  checkIntervalMs: 10_000,
  onFailure: 'rollback',
  steps: [
    { targets: ['eu-west-1'], pauseMs: MINUTE },
    { targets: ['us-east-1', 'us-west-2'], pauseMs: 0 },
  ],
};
const BLUE_GREEN: BlueGreenRollout = {
  strategy: 'blue-green',
  checkIntervalMs: 15_000,
  onFailure: 'rollback',
  slots: ['blue', 'green'],
  previewUrl: 'https://{slot}.pre.shop.example/healthz',
  pauseMs: 2 * MINUTE,
};

/** A command's result as the fakes give it. */
const shell = (exitCode: number | null, more: Partial<ShellCommandResult> = {}): ShellCommandResult => ({
  exitCode,
  timedOut: false,
  tail: [],
  durationMs: 0,
  ...more,
});

/** A watch that passed every check, or failed at `failing` with `message`. */
function watchReport(checks: CheckSpec[], failing?: { name: string; message: string }): VerificationReport {
  return {
    result: failing ? 'failed' : 'passed',
    checks: checks.map((check) => ({
      name: check.name ?? 'unnamed',
      kind: check.kind,
      target: '',
      passed: check.name !== failing?.name,
      attempts: 1,
      lastMessage: failing && check.name === failing.name ? failing.message : 'ok',
    })),
    bakeTimeMs: 0,
    rounds: 1,
    retryRounds: 1,
    ...(failing ? { failedIn: 'bake' as const } : {}),
    startedAt: '2026-07-01T10:00:00.000Z',
    finishedAt: '2026-07-01T10:00:00.000Z',
    durationMs: 0,
  };
}

/** What the fakes do: each command's exit code, and which watch (1-based, in call order) fails and how. */
interface Script {
  exitCode?: (command: string, variables: Record<string, string>) => number | null;
  rollbackResult?: ShellCommandResult;
  failWatch?: { call: number; name: string; message: string };
}

/** Effects that record everything, in order, as `events` (a status recorded as the text deploy-env writes). */
function fakeEffects(script: Script = {}) {
  const events: string[] = [];
  const commands: Array<{ command: string; variables: Record<string, string> }> = [];
  const recorded: RolloutStep[] = [];
  const rollingBack: Array<{ step: number; reason: string }> = [];
  const watches: Array<{ checks: CheckSpec[]; pauseMs: number; intervalMs: number }> = [];
  const sleeps: number[] = [];
  const logger = recordingLogger();
  const effects: RolloutEffects = {
    logger,
    runCommand: async (command, variables) => {
      commands.push({ command, variables });
      events.push(`run ${command} ${variables.RELEASE_ACTION} ${variables.RELEASE_STEP}`);
      if (command === UNDO && script.rollbackResult) return script.rollbackResult;
      return shell(script.exitCode?.(command, variables) ?? 0);
    },
    recordStep: async (step) => {
      recorded.push(step);
      events.push(`record ${stepStatusText(step)}`);
    },
    recordRollingBack: async (step, reason) => {
      rollingBack.push({ step: step.number, reason });
      events.push(`record ${rolloutEndText('rolling-back', step, reason)}`);
    },
    watch: async (checks, pauseMs, intervalMs) => {
      watches.push({ checks, pauseMs, intervalMs });
      events.push(`watch ${pauseMs}`);
      const failing = script.failWatch?.call === watches.length ? script.failWatch : undefined;
      return watchReport(checks, failing);
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      events.push(`sleep ${ms}`);
    },
  };
  return { effects, events, commands, recorded, rollingBack, watches, sleeps, logger };
}

/** The task of `rollout` from `start`, the release replacing {@link PREVIOUS}. */
function taskOf(
  rollout: GradualRolloutConfig,
  options: { start?: RolloutTask['start']; checks?: CheckSpec[]; slots?: SlotPair } = {},
): RolloutTask {
  const slots = options.slots ?? LIVE_BLUE;
  const steps = rolloutSteps(rollout, slots);
  return {
    rollout,
    steps,
    start: options.start ?? { kind: 'fresh' },
    checks: options.checks ?? [HEALTHZ],
    command: DEPLOY,
    rollbackCommand: UNDO,
    rollbackVariables: (failed) => rollbackVariables(rollout, steps, failed, { slots, replaced: PREVIOUS }),
  };
}

const canarySteps = rolloutSteps(CANARY, LIVE_BLUE);
const stepOf = (number: number): RolloutStep => canarySteps[number - 1] as RolloutStep;
const outcomesOf = (outcome: RolloutOutcome) => outcome.steps.map((record) => record.outcome);

describe('runRollout: every step passes', () => {
  it('runs each command, records each step, watches each pause, in that order', async () => {
    const fake = fakeEffects();
    const outcome = await runRollout(taskOf(CANARY), fake.effects);
    expect(fake.events).toEqual([
      `run ${DEPLOY} deploy 1`,
      'record Step 1/3: 10% — watching 5m',
      'watch 300000',
      `run ${DEPLOY} deploy 2`,
      'record Step 2/3: 50% — watching 10m',
      'watch 600000',
      `run ${DEPLOY} deploy 3`,
      'record Step 3/3: 100%',
    ]);
    expect(fake.commands.map((run) => run.variables)).toEqual(canarySteps.map((step) => step.variables));
    expect(fake.watches.map((watch) => [watch.checks, watch.intervalMs])).toEqual([
      [[HEALTHZ], 30_000],
      [[HEALTHZ], 30_000],
    ]);
    expect(outcome).toMatchObject({ strategy: 'canary', completed: 3, rolledBack: false, halted: false });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.rollback).toBeUndefined();
    expect(outcomesOf(outcome)).toEqual(['passed', 'passed', 'passed']);
    expect(outcome.steps[2]?.watch).toBeUndefined();
  });

  it('a phased rollout tells each step its targets', async () => {
    const fake = fakeEffects();
    await runRollout(taskOf(PHASED), fake.effects);
    expect(fake.commands.map((run) => run.variables.RELEASE_TARGETS)).toEqual([
      'eu-west-1',
      'us-east-1,us-west-2',
    ]);
    expect(fake.watches.map((watch) => [watch.pauseMs, watch.intervalMs])).toEqual([[MINUTE, 10_000]]);
  });
});

interface FailureRow {
  label: string;
  task: RolloutTask;
  script: Script;
  events: string[];
  rollback: Record<string, string> | undefined;
  failure: { step: number; reason: string };
  /** The steps recorded (their command succeeded). */
  recorded: number[];
  completed: number;
  outcomes: string[];
  rolledBack: boolean;
  halted: boolean;
}

const failureRows: FailureRow[] = [
  {
    label: 'the command fails at step 2: rollback, step 2 not recorded',
    task: taskOf(CANARY),
    script: { exitCode: (command, v) => (command === DEPLOY && v.RELEASE_STEP === '2' ? 2 : 0) },
    events: [
      `run ${DEPLOY} deploy 1`,
      'record Step 1/3: 10% — watching 5m',
      'watch 300000',
      `run ${DEPLOY} deploy 2`,
      'record Rollout failed at step 2/3 (50%), rolling back: deploy command exit code 2',
      `run ${UNDO} rollback 2`,
    ],
    rollback: {
      RELEASE_STRATEGY: 'canary',
      RELEASE_STEP: '2',
      RELEASE_STEPS: '3',
      RELEASE_ACTION: 'rollback',
      RELEASE_WEIGHT: '0',
    },
    failure: { step: 2, reason: 'deploy command exit code 2' },
    recorded: [1],
    completed: 1,
    outcomes: ['passed', 'failed', 'skipped'],
    rolledBack: true,
    halted: false,
  },
  {
    label: "a check fails during step 2's pause: rollback, the reason names the check and its message",
    task: taskOf(CANARY, { checks: [HEALTHZ, ERRORS] }),
    script: { failWatch: { call: 2, name: 'error rate', message: 'exit code 1: 3.2% of requests failed' } },
    events: [
      `run ${DEPLOY} deploy 1`,
      'record Step 1/3: 10% — watching 5m',
      'watch 300000',
      `run ${DEPLOY} deploy 2`,
      'record Step 2/3: 50% — watching 10m',
      'watch 600000',
      'record Rollout failed at step 2/3 (50%), rolling back: error rate: exit code 1: 3.2% of requests failed',
      `run ${UNDO} rollback 2`,
    ],
    rollback: {
      RELEASE_STRATEGY: 'canary',
      RELEASE_STEP: '2',
      RELEASE_STEPS: '3',
      RELEASE_ACTION: 'rollback',
      RELEASE_WEIGHT: '0',
    },
    failure: { step: 2, reason: 'error rate: exit code 1: 3.2% of requests failed' },
    recorded: [1, 2],
    completed: 1,
    outcomes: ['passed', 'failed', 'skipped'],
    rolledBack: true,
    halted: false,
  },
  {
    label: 'on-failure halt: no rollback command',
    task: taskOf({ ...CANARY, onFailure: 'halt' }),
    script: { failWatch: { call: 2, name: 'healthz', message: 'HTTP 500' } },
    events: [
      `run ${DEPLOY} deploy 1`,
      'record Step 1/3: 10% — watching 5m',
      'watch 300000',
      `run ${DEPLOY} deploy 2`,
      'record Step 2/3: 50% — watching 10m',
      'watch 600000',
    ],
    rollback: undefined,
    failure: { step: 2, reason: 'healthz: HTTP 500' },
    recorded: [1, 2],
    completed: 1,
    outcomes: ['passed', 'failed', 'skipped'],
    rolledBack: false,
    halted: true,
  },
  {
    label: 'the rollback command fails: not rolled back',
    task: taskOf(CANARY),
    script: {
      exitCode: (command, v) => (command === DEPLOY && v.RELEASE_STEP === '2' ? 2 : command === UNDO ? 1 : 0),
    },
    events: [
      `run ${DEPLOY} deploy 1`,
      'record Step 1/3: 10% — watching 5m',
      'watch 300000',
      `run ${DEPLOY} deploy 2`,
      'record Rollout failed at step 2/3 (50%), rolling back: deploy command exit code 2',
      `run ${UNDO} rollback 2`,
    ],
    rollback: {
      RELEASE_STRATEGY: 'canary',
      RELEASE_STEP: '2',
      RELEASE_STEPS: '3',
      RELEASE_ACTION: 'rollback',
      RELEASE_WEIGHT: '0',
    },
    failure: { step: 2, reason: 'deploy command exit code 2' },
    recorded: [1],
    completed: 1,
    outcomes: ['passed', 'failed', 'skipped'],
    rolledBack: false,
    halted: false,
  },
  {
    label:
      'phased, the command fails at step 2: the targets of steps 1 and 2 go back to the previous release',
    task: taskOf(PHASED),
    script: { exitCode: (command, v) => (command === DEPLOY && v.RELEASE_STEP === '2' ? 1 : 0) },
    events: [
      `run ${DEPLOY} deploy 1`,
      'record Step 1/2: eu-west-1 — watching 1m',
      'watch 60000',
      `run ${DEPLOY} deploy 2`,
      'record Rollout failed at step 2/2 (us-east-1, us-west-2), rolling back: deploy command exit code 1',
      `run ${UNDO} rollback 2`,
    ],
    rollback: {
      RELEASE_STRATEGY: 'phased',
      RELEASE_STEP: '2',
      RELEASE_STEPS: '2',
      RELEASE_ACTION: 'rollback',
      RELEASE_TARGETS: 'eu-west-1,us-east-1,us-west-2',
      RELEASE_SHA: PREVIOUS.sha,
      RELEASE_VERSION: '1.1.0',
    },
    failure: { step: 2, reason: 'deploy command exit code 1' },
    recorded: [1],
    completed: 1,
    outcomes: ['passed', 'failed'],
    rolledBack: true,
    halted: false,
  },
  {
    label: 'blue-green, the preview fails: no switch, back to the live slot',
    task: taskOf(BLUE_GREEN),
    script: { failWatch: { call: 1, name: 'preview of green', message: 'HTTP 503' } },
    events: [
      `run ${DEPLOY} deploy 1`,
      'record Step 1/2: deploy to green — watching 2m',
      'watch 120000',
      'record Rollout failed at step 1/2 (deploy to green), rolling back: preview of green: HTTP 503',
      `run ${UNDO} rollback 1`,
    ],
    rollback: {
      RELEASE_STRATEGY: 'blue-green',
      RELEASE_STEP: '1',
      RELEASE_STEPS: '2',
      RELEASE_ACTION: 'rollback',
      RELEASE_SLOT: 'blue',
    },
    failure: { step: 1, reason: 'preview of green: HTTP 503' },
    recorded: [1],
    completed: 0,
    outcomes: ['failed', 'skipped'],
    rolledBack: true,
    halted: false,
  },
  {
    label: 'resumed after step 1, its remaining watch fails: rollback, step 1 not run again',
    task: taskOf(CANARY, { start: { kind: 'resume', completed: 1, watchRemainingMs: 45_000 } }),
    script: { failWatch: { call: 1, name: 'healthz', message: 'HTTP 502' } },
    events: [
      'watch 45000',
      'record Rollout failed at step 1/3 (10%), rolling back: healthz: HTTP 502',
      `run ${UNDO} rollback 1`,
    ],
    rollback: {
      RELEASE_STRATEGY: 'canary',
      RELEASE_STEP: '1',
      RELEASE_STEPS: '3',
      RELEASE_ACTION: 'rollback',
      RELEASE_WEIGHT: '0',
    },
    failure: { step: 1, reason: 'healthz: HTTP 502' },
    recorded: [],
    completed: 0,
    outcomes: ['failed', 'skipped', 'skipped'],
    rolledBack: true,
    halted: false,
  },
];

describe('runRollout: a step fails', () => {
  it.each(failureRows)('$label', async (row) => {
    const fake = fakeEffects(row.script);
    const outcome = await runRollout(row.task, fake.effects);
    expect(fake.events).toEqual(row.events);
    expect(fake.recorded.map((step) => step.number)).toEqual(row.recorded);
    // The failure is recorded before the rollback command runs; a halted rollout records no rollback.
    expect(fake.rollingBack).toEqual(row.halted ? [] : [row.failure]);
    expect(outcome.failure?.step).toBe(row.task.steps[row.failure.step - 1]);
    expect(outcome.failure?.reason).toBe(row.failure.reason);
    expect(outcome.rollback?.variables).toEqual(row.rollback);
    if (row.rollback) {
      expect(fake.commands.at(-1)).toEqual({ command: UNDO, variables: row.rollback });
    }
    expect(outcome.completed).toBe(row.completed);
    expect(outcomesOf(outcome)).toEqual(row.outcomes);
    expect(outcome.rolledBack).toBe(row.rolledBack);
    expect(outcome.halted).toBe(row.halted);
    // Logged as information: the action's one error line reports the failure.
    expect(fake.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(fake.logger.lines.map((line) => line.message)).toContainEqual(
      expect.stringContaining(row.failure.reason),
    );
  });

  it('the failed command is kept on its step; a failing check keeps the watch report', async () => {
    const byCommand = fakeEffects({ exitCode: (command, v) => (v.RELEASE_STEP === '2' ? 7 : 0) });
    const commandFailed = await runRollout(taskOf(CANARY), byCommand.effects);
    expect(commandFailed.steps[1]?.command?.exitCode).toBe(7);
    expect(commandFailed.steps[1]?.watch).toBeUndefined();
    const byCheck = fakeEffects({ failWatch: { call: 1, name: 'healthz', message: 'HTTP 500' } });
    const checkFailed = await runRollout(taskOf(CANARY), byCheck.effects);
    expect(checkFailed.steps[0]?.command?.exitCode).toBe(0);
    expect(checkFailed.steps[0]?.watch?.result).toBe('failed');
  });

  it('halting says nothing is undone', async () => {
    const fake = fakeEffects({ exitCode: () => 1 });
    await runRollout(taskOf({ ...CANARY, onFailure: 'halt' }), fake.effects);
    expect(fake.commands.map((run) => run.command)).toEqual([DEPLOY]);
    expect(fake.logger.lines).toContainEqual({
      level: 'info',
      message: 'on-failure is halt: the rollout stops where it is; nothing is undone.',
    });
  });
});

describe('runRollout: resuming', () => {
  it('after step 1 with 2 minutes of its pause left: step 1 not run again, its watch gets what is left', async () => {
    const fake = fakeEffects();
    const task = taskOf(CANARY, { start: { kind: 'resume', completed: 1, watchRemainingMs: 120_000 } });
    const outcome = await runRollout(task, fake.effects);
    expect(fake.events).toEqual([
      'watch 120000',
      `run ${DEPLOY} deploy 2`,
      'record Step 2/3: 50% — watching 10m',
      'watch 600000',
      `run ${DEPLOY} deploy 3`,
      'record Step 3/3: 100%',
    ]);
    expect(outcome.completed).toBe(3);
    expect(outcome.steps[0]?.command).toBeUndefined();
    expect(outcome.steps[0]?.watch?.result).toBe('passed');
    expect(fake.logger.lines).toContainEqual({
      level: 'info',
      message: 'Resuming after step 1/3 (10%), which an earlier attempt ran.',
    });
  });

  it('after step 2 with nothing of its pause left: its checks run once (a watch of 0 ms)', async () => {
    const fake = fakeEffects();
    const task = taskOf(CANARY, { start: { kind: 'resume', completed: 2, watchRemainingMs: 0 } });
    const outcome = await runRollout(task, fake.effects);
    expect(fake.events).toEqual(['watch 0', `run ${DEPLOY} deploy 3`, 'record Step 3/3: 100%']);
    // Step 2's command ran in the earlier attempt: it stays 'resumed' once the rest of its pause passed.
    expect(outcomesOf(outcome)).toEqual(['resumed', 'resumed', 'passed']);
    expect(outcome.completed).toBe(3);
  });

  it('after the last step (no pause): nothing is run, the rollout is complete', async () => {
    const fake = fakeEffects();
    const task = taskOf(CANARY, { start: { kind: 'resume', completed: 3, watchRemainingMs: 0 } });
    const outcome = await runRollout(task, fake.effects);
    expect(fake.events).toEqual([]);
    expect(outcome.completed).toBe(3);
    expect(outcome.failure).toBeUndefined();
  });

  it('before step 1 (only Deploying recorded): every step runs, no "Resuming" line', async () => {
    const fake = fakeEffects();
    const task = taskOf(CANARY, { start: { kind: 'resume', completed: 0, watchRemainingMs: 0 } });
    const outcome = await runRollout(task, fake.effects);
    expect(fake.commands.map((run) => run.variables.RELEASE_STEP)).toEqual(['1', '2', '3']);
    expect(outcome.completed).toBe(3);
    expect(fake.logger.lines.some((line) => line.message.startsWith('Resuming'))).toBe(false);
  });

  it('done: nothing is run or recorded, every step counts as done earlier', async () => {
    const fake = fakeEffects();
    const outcome = await runRollout(taskOf(CANARY, { start: { kind: 'done' } }), fake.effects);
    expect(fake.events).toEqual([]);
    expect(outcome.completed).toBe(3);
    expect(outcomesOf(outcome)).toEqual(['resumed', 'resumed', 'resumed']);
    expect(outcome.failure).toBeUndefined();
  });
});

/** What the canary's rollback is told after step 2 failed: back to weight 0. */
const CANARY_ROLLBACK_2 = {
  RELEASE_STRATEGY: 'canary',
  RELEASE_STEP: '2',
  RELEASE_STEPS: '3',
  RELEASE_ACTION: 'rollback',
  RELEASE_WEIGHT: '0',
};

describe('runRollout: finishing a rollback an earlier attempt left under way (undo)', () => {
  it('runs only the rollback command for the failed step: nothing rolled out, nothing recorded', async () => {
    const fake = fakeEffects();
    const start = { kind: 'undo', failed: 2, reason: 'healthz: HTTP 500' } as const;
    const outcome = await runRollout(taskOf(CANARY, { start }), fake.effects);
    expect(fake.events).toEqual([`run ${UNDO} rollback 2`]);
    expect(fake.commands).toEqual([{ command: UNDO, variables: CANARY_ROLLBACK_2 }]);
    expect(outcome.failure).toEqual({ step: stepOf(2), reason: 'healthz: HTTP 500' });
    expect(outcome).toMatchObject({ completed: 1, rolledBack: true, halted: false });
    expect(outcomesOf(outcome)).toEqual(['resumed', 'failed', 'skipped']);
    expect(rolloutFailureStatus(outcome).text).toBe(
      'Rollout failed at step 2/3 (50%), rolled back: healthz: HTTP 500',
    );
    expect(fake.logger.lines).toContainEqual({
      level: 'info',
      message:
        'step 2/3 (50%) failed in an earlier attempt (healthz: HTTP 500) and its rollback did not finish: ' +
        'running it again.',
    });
  });

  it('the rollback command fails again: not rolled back, the final status says so', async () => {
    const fake = fakeEffects({ rollbackResult: shell(4) });
    const start = { kind: 'undo', failed: 1, reason: 'deploy command exit code 2' } as const;
    const outcome = await runRollout(taskOf(CANARY, { start }), fake.effects);
    expect(fake.events).toEqual([`run ${UNDO} rollback 1`]);
    expect(outcome).toMatchObject({ completed: 0, rolledBack: false });
    expect(outcomesOf(outcome)).toEqual(['failed', 'skipped', 'skipped']);
    expect(rolloutFailureStatus(outcome).text).toBe(
      'Rollout failed at step 1/3 (10%), rollback command exit code 4: deploy command exit code 2',
    );
  });

  it('blue-green, failed at the preview: the rollback is told the live slot', async () => {
    const fake = fakeEffects();
    const start = { kind: 'undo', failed: 1, reason: 'preview of green: HTTP 503' } as const;
    await runRollout(taskOf(BLUE_GREEN, { start }), fake.effects);
    expect(fake.commands.map((run) => [run.command, run.variables.RELEASE_SLOT])).toEqual([[UNDO, 'blue']]);
  });

  it('a re-run after the rollback ran but its final status was not written does not push on to 100%', async () => {
    // Attempt 1: step 2's checks failed, "rolling back" was written, the rollback command ran (weight 0), and
    // writing the final status failed (GitHub down). The re-run reads these statuses back.
    const written = statuses(
      [
        'queued: Prepared by run 71; waiting to be deployed',
        'in_progress: Deploying 1.2.0 (run 71)',
        `in_progress: ${stepStatusText(stepOf(1))}`,
        `in_progress: ${stepStatusText(stepOf(2))}`,
        `failure: ${rolloutEndText('rolling-back', stepOf(2), 'healthz: HTTP 500')}`,
      ],
      {
        times: [
          '2026-07-01T10:00:00Z',
          '2026-07-01T10:00:01Z',
          '2026-07-01T10:00:02Z',
          '2026-07-01T10:05:03Z',
          '2026-07-01T10:06:00Z',
        ],
      },
    );
    const start = rolloutStart(releaseProgress(written), canarySteps, Date.parse('2026-07-01T10:30:00Z'));
    expect(start).toEqual({ kind: 'undo', failed: 2, reason: 'healthz: HTTP 500' });
    if (start.kind === 'ended') throw new Error('expected the rollback to be finished');
    // The checks would pass now (traffic is at weight 0): they must not be what decides.
    const fake = fakeEffects();
    const outcome = await runRollout(taskOf(CANARY, { start }), fake.effects);
    expect(
      fake.commands.map((run) => `${run.variables.RELEASE_ACTION} ${run.variables.RELEASE_WEIGHT}`),
    ).toEqual(['rollback 0']);
    expect(fake.watches).toEqual([]);
    expect(fake.recorded).toEqual([]);
    expect(rolloutFailureStatus(outcome)).toEqual({
      step: 'rollout-failed',
      text: 'Rollout failed at step 2/3 (50%), rolled back: healthz: HTTP 500',
    });
  });
});

describe('runRollout: pauses', () => {
  it('a pause with no checks only waits, with a warning naming the step', async () => {
    const fake = fakeEffects();
    const outcome = await runRollout(taskOf(CANARY, { checks: [] }), fake.effects);
    expect(fake.watches).toEqual([]);
    expect(fake.sleeps).toEqual([5 * MINUTE, 10 * MINUTE]);
    const warnings = fake.logger.lines.filter((line) => line.level === 'warning').map((line) => line.message);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('during the pause of step 1/3 (10%): it only waits');
    expect(warnings[1]).toContain('during the pause of step 2/3 (50%)');
    expect(warnings[0]).toContain("'verify:'");
    expect(outcome.completed).toBe(3);
  });

  it('blue-green: the preview of the idle slot is watched first, before the checks; the switch is not watched', async () => {
    const fake = fakeEffects();
    const outcome = await runRollout(taskOf(BLUE_GREEN, { checks: [HEALTHZ, ERRORS] }), fake.effects);
    expect(fake.watches).toEqual([
      {
        checks: [
          { kind: 'http', url: 'https://green.pre.shop.example/healthz', name: 'preview of green' },
          HEALTHZ,
          ERRORS,
        ],
        pauseMs: 2 * MINUTE,
        intervalMs: 15_000,
      },
    ]);
    expect(fake.commands.map((run) => [run.variables.RELEASE_ACTION, run.variables.RELEASE_SLOT])).toEqual([
      ['deploy', 'green'],
      ['switch', 'green'],
    ]);
    expect(outcome.completed).toBe(2);
  });

  it('blue-green without environment checks: the preview alone is watched, no warning', async () => {
    const fake = fakeEffects();
    await runRollout(taskOf(BLUE_GREEN, { checks: [] }), fake.effects);
    expect(fake.watches.map((watch) => watch.checks.map((check) => check.name))).toEqual([
      ['preview of green'],
    ]);
    expect(fake.sleeps).toEqual([]);
    expect(fake.logger.lines.filter((line) => line.level === 'warning')).toEqual([]);
  });

  it('blue-green without a pause: the preview and the checks are still read once before the switch', async () => {
    const fake = fakeEffects();
    const outcome = await runRollout(taskOf({ ...BLUE_GREEN, pauseMs: 0 }), fake.effects);
    expect(fake.events).toEqual([
      `run ${DEPLOY} deploy 1`,
      'record Step 1/2: deploy to green',
      'watch 0',
      `run ${DEPLOY} switch 2`,
      'record Step 2/2: switch to green',
    ]);
    expect(fake.watches[0]?.checks.map((check) => check.name)).toEqual(['preview of green', 'healthz']);
    expect(fake.sleeps).toEqual([]);
    expect(outcome.completed).toBe(2);
  });

  it('blue-green without a pause, the preview fails: no switch, rolled back', async () => {
    const fake = fakeEffects({ failWatch: { call: 1, name: 'preview of green', message: 'HTTP 503' } });
    const outcome = await runRollout(taskOf({ ...BLUE_GREEN, pauseMs: 0 }, { checks: [] }), fake.effects);
    expect(fake.events).toEqual([
      `run ${DEPLOY} deploy 1`,
      'record Step 1/2: deploy to green',
      'watch 0',
      'record Rollout failed at step 1/2 (deploy to green), rolling back: preview of green: HTTP 503',
      `run ${UNDO} rollback 1`,
    ]);
    expect(outcome).toMatchObject({ completed: 0, rolledBack: true });
  });

  it('resumed with nothing of its pause left and no checks: no wait and no warning', async () => {
    const fake = fakeEffects();
    const task = taskOf(CANARY, { checks: [], start: { kind: 'resume', completed: 1, watchRemainingMs: 0 } });
    await runRollout(task, fake.effects);
    // Step 2's own pause is still waited out (with its warning); step 1's, over already, is not.
    expect(fake.sleeps).toEqual([10 * MINUTE]);
    expect(fake.logger.lines.filter((line) => line.level === 'warning')).toHaveLength(1);
  });
});

describe('commandFailure', () => {
  it.each([
    { label: 'an exit code', result: shell(2), expected: 'deploy command exit code 2' },
    {
      label: 'killed by a signal',
      result: shell(null, { signal: 'SIGKILL' }),
      expected: 'deploy command exit code SIGKILL',
    },
    {
      label: 'timed out',
      result: shell(null, { timedOut: true, signal: 'SIGTERM' }),
      expected: 'deploy command timed out',
    },
    {
      label: 'could not start',
      result: shell(null, { startError: 'bash: not found' }),
      expected: 'deploy command could not start: bash: not found',
    },
    { label: 'neither code nor signal', result: shell(null), expected: 'deploy command exit code none' },
  ])('$label', ({ result, expected }) => {
    expect(commandFailure('deploy command', result)).toBe(expected);
  });
});

const HELD = "The release is held in 'production': prepare a newer one, or release it again with 'force'.";

describe('rolloutFailureStatus and rolloutFailureLine', () => {
  const rows: Array<{
    label: string;
    task: RolloutTask;
    script: Script;
    status: { step: 'rollout-failed' | 'rollout-halted'; text: string };
    line: string;
  }> = [
    {
      label: 'failed and rolled back',
      task: taskOf(CANARY),
      script: { exitCode: (command, v) => (command === DEPLOY && v.RELEASE_STEP === '2' ? 2 : 0) },
      status: {
        step: 'rollout-failed',
        text: 'Rollout failed at step 2/3 (50%), rolled back: deploy command exit code 2',
      },
      line: `The rollout failed at step 2/3 (50%): deploy command exit code 2. The steps done were rolled back. ${HELD}`,
    },
    {
      label: 'halted',
      task: taskOf({ ...CANARY, onFailure: 'halt' }),
      script: { failWatch: { call: 1, name: 'healthz', message: 'HTTP 500' } },
      status: { step: 'rollout-halted', text: 'Rollout halted at step 1/3 (10%): healthz: HTTP 500' },
      line: `The rollout halted at step 1/3 (10%): healthz: HTTP 500. Nothing was undone (on-failure: halt). ${HELD}`,
    },
    {
      label: 'failed, the rollback command failed too',
      task: taskOf(CANARY),
      script: { failWatch: { call: 2, name: 'healthz', message: 'HTTP 500' }, rollbackResult: shell(1) },
      status: {
        step: 'rollout-failed',
        text: 'Rollout failed at step 2/3 (50%), rollback command exit code 1: healthz: HTTP 500',
      },
      line:
        'The rollout failed at step 2/3 (50%): healthz: HTTP 500, and the rollback command exit code 1: the ' +
        "environment may still serve part of the release. Undo it by hand (or run 'rollback'). " +
        HELD,
    },
    {
      label: 'failed, the rollback command timed out',
      task: taskOf(PHASED),
      script: {
        exitCode: (command) => (command === DEPLOY ? 3 : 0),
        rollbackResult: shell(null, { timedOut: true }),
      },
      status: {
        step: 'rollout-failed',
        text: 'Rollout failed at step 1/2 (eu-west-1), rollback command timed out: deploy command exit code 3',
      },
      line:
        'The rollout failed at step 1/2 (eu-west-1): deploy command exit code 3, and the rollback command timed ' +
        "out: the environment may still serve part of the release. Undo it by hand (or run 'rollback'). " +
        HELD,
    },
  ];

  it.each(rows)('$label', async ({ task, script, status, line }) => {
    const outcome = await runRollout(task, fakeEffects(script).effects);
    expect(rolloutFailureStatus(outcome)).toEqual(status);
    expect(rolloutFailureLine(outcome, 'production')).toBe(line);
  });

  it('a rollout that completed has no error line', async () => {
    const outcome = await runRollout(taskOf(CANARY), fakeEffects().effects);
    expect(rolloutFailureLine(outcome, 'production')).toBeUndefined();
    expect(rolloutFailureLine(undefined, 'production')).toBeUndefined();
  });

  it('a final status cut at 140 characters still ends the rollout on a re-run', async () => {
    const message = `HTTP 500: ${'upstream connect error or disconnect/reset before headers; '.repeat(3)}`;
    const outcome = await runRollout(
      taskOf(CANARY),
      fakeEffects({ failWatch: { call: 2, name: 'healthz', message } }).effects,
    );
    const final = rolloutFailureStatus(outcome);
    expect(final.text.length).toBeGreaterThan(140);
    const reason = outcome.failure?.reason ?? '';
    const written = statuses([
      'in_progress: Deploying',
      `in_progress: ${stepStatusText(stepOf(1))}`,
      `in_progress: ${stepStatusText(stepOf(2))}`,
      `failure: ${statusDescription(rolloutEndText('rolling-back', stepOf(2), reason))}`,
      `failure: ${statusDescription(final.text)}`,
    ]);
    const start = rolloutStart(releaseProgress(written), canarySteps, Date.now());
    expect(start.kind).toBe('ended');
    expect(start.kind === 'ended' && undoneByRollback(start.status.description)).toBe(true);
  });

  it("the README's Prometheus check failing: 'rolled back' stays legible in 140 characters", () => {
    // The check's default name (run-verification), then the reading and the comparison it failed.
    const query = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
    const reason = `prometheus: ${query.slice(0, 59)}…: 0.05 (not below 0.01)`;
    const outcome: RolloutOutcome = {
      strategy: 'canary',
      steps: [],
      completed: 1,
      failure: { step: stepOf(2), reason },
      rolledBack: true,
      halted: false,
    };
    const text = rolloutFailureStatus(outcome).text;
    expect(text.length).toBeGreaterThan(140);
    const written = statusDescription(text);
    expect(written).toMatch(/^Rollout failed at step 2\/3 \(50%\), rolled back: prometheus: sum\(rate/);
    expect(undoneByRollback(written)).toBe(true);
  });
});
