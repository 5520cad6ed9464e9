/**
 * The rollout of an environment (`environments[n].rollout`) as the actions get it ({@link RolloutConfig}). Keys,
 * values, defaults and fixes come from their rules in `rollout-schema.ts`; this module adds what a schema cannot
 * say (canary weights increasing to 100, each phased target in one step, durations written as text within
 * their bounds, a preview URL that is valid once `{slot}` is replaced) and says where each mistake is.
 */
import {
  DEFAULT_CHECK_INTERVAL_MS,
  DEFAULT_SLOTS,
  ROLLOUT_STRATEGIES,
  type BlueGreenRollout,
  type CanaryStep,
  type OnFailure,
  type PhasedStep,
  type RolloutConfig,
  type RolloutStrategy,
} from '../rollout/rollout-config.js';
import { closestMatch } from './closest-match.js';
import {
  describeValue,
  field,
  isMapping,
  readList,
  readMapping,
  readString,
  type ConfigDocument,
  type FieldPath,
} from './config-document.js';
import { keysOf, quotedList } from './config-rule.js';
import { DURATION_RULE, environmentUrlProblem, NON_EMPTY_TEXT_RULE } from './config-values.js';
import { durationText, parseDuration } from './duration.js';
import {
  BLUE_GREEN_ROLLOUT_RULE,
  CANARY_ROLLOUT_RULE,
  CANARY_STEP_RULE,
  CHECK_INTERVAL_LIMITS,
  ON_FAILURE_RULE,
  PAUSE_LIMITS,
  PHASED_ROLLOUT_RULE,
  PHASED_STEP_RULE,
  ROLLOUT_RULE,
  SLOT_NAME_PATTERN,
  STEP_PAUSE_RULE,
  STRATEGY_RULE,
  STRATEGY_RULES,
  type DurationLimits,
} from './rollout-schema.js';

/** Every key a rollout may have, whatever its strategy, in the order messages list them. */
const ROLLOUT_KEYS = [...new Set(Object.values(STRATEGY_RULES).flatMap((rule) => keysOf(rule)))];

/** The pause of a step or a blue-green rollout that gives none. */
const DEFAULT_PAUSE_MS = parseDuration(STEP_PAUSE_RULE.default) ?? 0;

/** The `steps` rules of the two strategies that have steps. */
type StepsRule = typeof CANARY_ROLLOUT_RULE.properties.steps | typeof PHASED_ROLLOUT_RULE.properties.steps;

/**
 * The rollout written at `at` (`value` as read from the file), defaults filled in: `check-interval` 30s,
 * `on-failure` rollback, pauses 0, blue-green slots `[blue, green]`. Every mistake fails with the field, its
 * line and how to fix it.
 */
export function readRollout(document: ConfigDocument, at: FieldPath, value: unknown): RolloutConfig {
  const entry = readMapping(document, at, value, ROLLOUT_KEYS, ROLLOUT_RULE.fix);
  const strategy = readStrategy(document, at, entry);
  refuseKeysOfOtherStrategies(document, at, entry, strategy);
  switch (strategy) {
    case 'all-at-once':
      return { strategy };
    case 'canary': {
      const steps = readStepList(document, at, entry, strategy, CANARY_ROLLOUT_RULE.properties.steps);
      return {
        strategy,
        steps: readCanarySteps(document, [...at, 'steps'], steps),
        ...readChecks(document, at, entry),
      };
    }
    case 'phased': {
      const steps = readStepList(document, at, entry, strategy, PHASED_ROLLOUT_RULE.properties.steps);
      return {
        strategy,
        steps: readPhasedSteps(document, [...at, 'steps'], steps),
        ...readChecks(document, at, entry),
      };
    }
    case 'blue-green':
      return readBlueGreen(document, at, entry);
  }
}

/** `strategy`: required, one of {@link ROLLOUT_STRATEGIES}, with a "did you mean" for a misspelt one. */
function readStrategy(
  document: ConfigDocument,
  at: FieldPath,
  entry: Record<string, unknown>,
): RolloutStrategy {
  if (!('strategy' in entry)) {
    document.fail(at, `${field(at)} has no 'strategy'. Add ${STRATEGY_RULE.whenMissing}.`);
  }
  const strategyAt = [...at, 'strategy'];
  const value = entry.strategy;
  const known = ROLLOUT_STRATEGIES.find((candidate) => candidate === value);
  if (known === undefined) {
    const suggestion = typeof value === 'string' ? closestMatch(value, ROLLOUT_STRATEGIES) : undefined;
    document.fail(
      strategyAt,
      `${field(strategyAt)} is ${describeValue(value)}, not a rollout strategy.` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ` ${STRATEGY_RULE.fix}`,
    );
  }
  return known;
}

/** Fails on the first key that belongs to another strategy than `strategy`, saying which one takes it. */
function refuseKeysOfOtherStrategies(
  document: ConfigDocument,
  at: FieldPath,
  entry: Record<string, unknown>,
  strategy: RolloutStrategy,
): void {
  const allowed = keysOf(STRATEGY_RULES[strategy]);
  for (const key of Object.keys(entry)) {
    if (allowed.includes(key)) continue;
    document.fail([...at, key], `${field(at)} has '${key}', ${whyNotFor(key, strategy)}`, true);
  }
}

/** Why `key` does not belong in a rollout of `strategy`, and what to do instead. */
function whyNotFor(key: string, strategy: RolloutStrategy): string {
  const takers = ROLLOUT_STRATEGIES.filter((candidate) => keysOf(STRATEGY_RULES[candidate]).includes(key));
  if (strategy === 'all-at-once') {
    return (
      `which applies to the other strategies (${takers.join(', ')}): all-at-once deploys the release in one ` +
      `step and takes no other key. Remove '${key}', or set 'strategy' to ${takers.join(' or ')}.`
    );
  }
  if (strategy === 'blue-green' && key === 'steps') {
    return (
      'but blue-green has two fixed steps: deploy to the idle slot, then switch traffic to it. Remove ' +
      "'steps'; to watch the idle slot before the switch, set 'pause'."
    );
  }
  if (key === 'pause') {
    return (
      `which applies to blue-green rollouts: a ${strategy} rollout pauses after each step. Give each step ` +
      "its own 'pause', e.g. 'pause: 5m'."
    );
  }
  return `which applies to ${takers.join(' and ')} rollouts, not ${strategy}. Remove it, or set 'strategy: ${takers[0] ?? ''}'.`;
}

/** `check-interval` and `on-failure`, or their defaults: what every strategy but all-at-once has. */
function readChecks(
  document: ConfigDocument,
  at: FieldPath,
  entry: Record<string, unknown>,
): { checkIntervalMs: number; onFailure: OnFailure } {
  const checkIntervalMs =
    'check-interval' in entry
      ? readDuration(document, [...at, 'check-interval'], entry['check-interval'], CHECK_INTERVAL_LIMITS)
      : DEFAULT_CHECK_INTERVAL_MS;
  const onFailure =
    'on-failure' in entry
      ? readOnFailure(document, [...at, 'on-failure'], entry['on-failure'])
      : ON_FAILURE_RULE.default;
  return { checkIntervalMs, onFailure };
}

function readOnFailure(document: ConfigDocument, at: FieldPath, value: unknown): OnFailure {
  const values = ON_FAILURE_RULE.enum;
  const known = values.find((candidate) => candidate === value);
  if (known === undefined) {
    const suggestion = typeof value === 'string' ? closestMatch(value, values) : undefined;
    document.fail(
      at,
      `${field(at)} is ${describeValue(value)}, not one of ${quotedList(values, 'or')}.` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ` ${ON_FAILURE_RULE.fix}`,
    );
  }
  return known;
}

/**
 * A duration (see `duration.ts`) within `limits`, in milliseconds. Messages say a number counts seconds, since
 * someone who writes `pause: 300000` most likely meant milliseconds.
 */
export function readDuration(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
  limits: DurationLimits,
): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    const negative = typeof value === 'number' && value < 0 ? ' (a duration is not negative)' : '';
    document.fail(
      at,
      `${field(at)} is ${describeValue(value)}, not a duration${negative}. ${DURATION_RULE.fix}`,
    );
  }
  const written = `${describeValue(value)}${typeof value === 'number' ? ' (a number counts seconds)' : ''}`;
  if (ms < limits.minMs) {
    document.fail(at, `${field(at)} is ${written}, less than ${durationText(limits.minMs)}: ${limits.why}.`);
  }
  if (ms > limits.maxMs) {
    document.fail(
      at,
      `${field(at)} is ${written}, longer than ${durationText(limits.maxMs)}: ${limits.why}.`,
    );
  }
  return ms;
}

/** The entries of `steps` of a canary or phased rollout: required, a list of 1 to `rule.maxItems` entries. */
function readStepList(
  document: ConfigDocument,
  at: FieldPath,
  entry: Record<string, unknown>,
  strategy: RolloutStrategy,
  rule: StepsRule,
): unknown[] {
  if (!('steps' in entry)) {
    const each = quotedList(rule.items.required, 'and');
    document.fail(
      at,
      `${field(at)} has no 'steps': ${strategy} needs 'steps', each with ${each}. Add ${rule.whenMissing}.`,
    );
  }
  const stepsAt = [...at, 'steps'];
  const steps = readList(document, stepsAt, entry.steps, rule.fix);
  if (steps.length < rule.minItems) document.fail(stepsAt, `${field(stepsAt)} is an empty list. ${rule.fix}`);
  if (steps.length > rule.maxItems) {
    document.fail(
      stepsAt,
      `${field(stepsAt)} lists ${steps.length} steps; a ${strategy} rollout has at most ${rule.maxItems}. ` +
        'Merge some of them.',
    );
  }
  return steps;
}

/** Canary steps: weights increasing from step to step, the last one 100. */
function readCanarySteps(document: ConfigDocument, at: FieldPath, entries: unknown[]): CanaryStep[] {
  const steps = entries.map((entry, index) => readCanaryStep(document, [...at, index], entry));
  steps.forEach((step, index) => {
    const before = steps[index - 1];
    if (before === undefined || step.weight > before.weight) return;
    const weightAt = [...at, index, 'weight'];
    document.fail(
      weightAt,
      `${field(weightAt)} is ${step.weight}, not more than ${field(['steps', index - 1, 'weight'])} ` +
        `(${before.weight}): canary weights increase from step to step. Give each step a larger weight than ` +
        'the one before.',
    );
  });
  const last = steps.length - 1;
  const lastWeight = steps[last]?.weight;
  if (lastWeight !== 100) {
    const weightAt = [...at, last, 'weight'];
    document.fail(
      weightAt,
      `${field(weightAt)} is ${lastWeight}: the last canary step sends all traffic to the release; make it ` +
        "100, or add a step with 'weight: 100'.",
    );
  }
  return steps;
}

function readCanaryStep(document: ConfigDocument, at: FieldPath, value: unknown): CanaryStep {
  if (isMapping(value) && 'targets' in value) {
    document.fail(
      [...at, 'targets'],
      `${field(at)} has 'targets', which are for phased rollouts: a canary step sends a share of the traffic ` +
        "('weight', 1 to 100) to the release. Write the step as '{ weight: 10, pause: 5m }', or set " +
        "'strategy: phased'.",
      true,
    );
  }
  const step = readMapping(document, at, value, keysOf(CANARY_STEP_RULE), CANARY_STEP_RULE.fix);
  const weightRule = CANARY_STEP_RULE.properties.weight;
  if (!('weight' in step)) document.fail(at, `${field(at)} has no 'weight'. Add ${weightRule.whenMissing}.`);
  const weightAt = [...at, 'weight'];
  const weight = step.weight;
  if (typeof weight === 'string' && /^\s*\d+(?:\.\d+)?\s*%$/.test(weight)) {
    document.fail(
      weightAt,
      `${field(weightAt)} is ${describeValue(weight)}, written with '%'. ${weightRule.fix}`,
    );
  }
  if (typeof weight !== 'number' || !Number.isInteger(weight)) {
    document.fail(
      weightAt,
      `${field(weightAt)} is ${describeValue(weight)}, not a whole number. ${weightRule.fix}`,
    );
  }
  if (weight < weightRule.minimum || weight > weightRule.maximum) {
    document.fail(
      weightAt,
      `${field(weightAt)} is ${describeValue(weight)}, not from 1 to 100. ${weightRule.fix}`,
    );
  }
  return { weight, pauseMs: readStepPause(document, at, step) };
}

/** `pause` of a step, or the default. */
function readStepPause(document: ConfigDocument, at: FieldPath, step: Record<string, unknown>): number {
  return 'pause' in step
    ? readDuration(document, [...at, 'pause'], step.pause, PAUSE_LIMITS)
    : DEFAULT_PAUSE_MS;
}

/** Phased steps: each target in one step only. */
function readPhasedSteps(document: ConfigDocument, at: FieldPath, entries: unknown[]): PhasedStep[] {
  const stepOf = new Map<string, number>();
  return entries.map((entry, index) => {
    const stepAt = [...at, index];
    const step = readPhasedStep(document, stepAt, entry);
    const written = Array.isArray((entry as Record<string, unknown>).targets);
    step.targets.forEach((target, position) => {
      const earlier = stepOf.get(target);
      if (earlier === undefined) {
        stepOf.set(target, index);
        return;
      }
      const targetAt = written ? [...stepAt, 'targets', position] : [...stepAt, 'targets'];
      document.fail(
        targetAt,
        `${field(targetAt)} is ${describeValue(target)}, which ${field(['steps', earlier])} deploys to already: ` +
          'each target gets the release in one step. Remove it from one of the two steps.',
      );
    });
    return step;
  });
}

function readPhasedStep(document: ConfigDocument, at: FieldPath, value: unknown): PhasedStep {
  if (isMapping(value) && 'weight' in value) {
    document.fail(
      [...at, 'weight'],
      `${field(at)} has 'weight', which is for canary rollouts: a phased step lists the 'targets' it deploys ` +
        "to. Write the step as '{ targets: [eu-west-1], pause: 10m }', or set 'strategy: canary'.",
      true,
    );
  }
  const step = readMapping(document, at, value, keysOf(PHASED_STEP_RULE), PHASED_STEP_RULE.fix);
  const targetsRule = PHASED_STEP_RULE.properties.targets;
  if (!('targets' in step))
    document.fail(at, `${field(at)} has no 'targets'. Add ${targetsRule.whenMissing}.`);
  return {
    targets: readTargets(document, [...at, 'targets'], step.targets),
    pauseMs: readStepPause(document, at, step),
  };
}

/** `targets`: one name, or a non-empty list of names without repeats. */
function readTargets(document: ConfigDocument, at: FieldPath, value: unknown): string[] {
  const howToWrite = PHASED_STEP_RULE.properties.targets.fix;
  // A number or boolean is one target too: readString then says to quote it.
  if (!Array.isArray(value) && !isMapping(value) && value !== null && value !== undefined) {
    return [readTarget(document, at, value)];
  }
  if (!Array.isArray(value)) {
    document.fail(
      at,
      `${field(at)} is ${describeValue(value)}, not a target or a list of them. ${howToWrite}`,
    );
  }
  if (value.length === 0) document.fail(at, `${field(at)} is an empty list. ${howToWrite}`);
  const targets: string[] = [];
  value.forEach((item: unknown, index) => {
    const target = readTarget(document, [...at, index], item);
    if (targets.includes(target)) {
      document.fail([...at, index], `${field([...at, index])} repeats '${target}'. List each target once.`);
    }
    targets.push(target);
  });
  return targets;
}

function readTarget(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const howToWrite = PHASED_STEP_RULE.properties.targets.fix;
  const target = readString(document, at, value, howToWrite);
  if (!new RegExp(NON_EMPTY_TEXT_RULE.pattern, 'u').test(target)) {
    document.fail(at, `${field(at)} is empty. ${howToWrite}`);
  }
  return target;
}

/** A blue-green rollout: its two slots, the preview URL, the pause before the switch, then the checks. */
function readBlueGreen(
  document: ConfigDocument,
  at: FieldPath,
  entry: Record<string, unknown>,
): BlueGreenRollout {
  const slots = 'slots' in entry ? readSlots(document, [...at, 'slots'], entry.slots) : DEFAULT_SLOTS;
  const previewUrl =
    'preview-url' in entry
      ? readPreviewUrl(document, [...at, 'preview-url'], entry['preview-url'], slots)
      : undefined;
  const pauseMs =
    'pause' in entry ? readDuration(document, [...at, 'pause'], entry.pause, PAUSE_LIMITS) : DEFAULT_PAUSE_MS;
  return { strategy: 'blue-green', slots, previewUrl, pauseMs, ...readChecks(document, at, entry) };
}

/** `slots`: exactly two different names. */
function readSlots(document: ConfigDocument, at: FieldPath, value: unknown): readonly [string, string] {
  const rule = BLUE_GREEN_ROLLOUT_RULE.properties.slots;
  const list = readList(document, at, value, rule.fix);
  if (list.length !== 2) {
    const listed = list.length === 0 ? 'no slot' : list.length === 1 ? 'one slot' : `${list.length} slots`;
    const needs = list.length > 2 ? 'exactly two' : 'two';
    document.fail(at, `${field(at)} lists ${listed}: blue-green needs ${needs}, e.g. [blue, green].`);
  }
  const first = readSlotName(document, [...at, 0], list[0]);
  const second = readSlotName(document, [...at, 1], list[1]);
  if (first === second) {
    document.fail(
      [...at, 1],
      `${field([...at, 1])} repeats '${first}': the two slots need different names. ${rule.fix}`,
    );
  }
  return [first, second];
}

function readSlotName(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const howToWrite = BLUE_GREEN_ROLLOUT_RULE.properties.slots.fix;
  const name = readString(document, at, value, howToWrite);
  if (!new RegExp(SLOT_NAME_PATTERN, 'u').test(name)) {
    document.fail(
      at,
      `${field(at)} is ${name === '' ? 'empty' : describeValue(name)}: a slot name is at most 40 letters, digits, ` +
        `'.', '_' and '-'. ${howToWrite}`,
    );
  }
  return name;
}

/** `preview-url`: an http(s) URL once `{slot}` is replaced with either slot's name. */
function readPreviewUrl(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
  slots: readonly string[],
): string {
  const howToWrite = BLUE_GREEN_ROLLOUT_RULE.properties['preview-url'].fix;
  const url = readString(document, at, value, howToWrite);
  for (const slot of slots) {
    const problem = environmentUrlProblem(url.replaceAll('{slot}', slot));
    if (problem === undefined) continue;
    const replaced = url.includes('{slot}') ? ` (with '{slot}' as '${slot}')` : '';
    document.fail(at, `${field(at)} is ${describeValue(url)}, which${replaced} ${problem}. ${howToWrite}`);
  }
  return url;
}
