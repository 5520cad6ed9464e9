/**
 * The rules of an environment's rollout (`environments[n].rollout`): which strategy, and the keys each one
 * takes (canary weights, phased targets, blue-green slots, pauses, how often the checks repeat, what a failure
 * does). `rollout-settings.ts` validates a file from these rules and adds what a schema cannot say (canary
 * weights increasing to 100, a target in one step only, the upper bounds of durations written as text); the
 * published schema is generated from them.
 */
import {
  DEFAULT_CHECK_INTERVAL_MS,
  MAX_ROLLOUT_STEPS,
  ON_FAILURE_VALUES,
  ROLLOUT_STRATEGIES,
  type RolloutStrategy,
} from '../rollout/rollout-config.js';
import { quotedList, type ConfigRule } from './config-rule.js';
import { DURATION_RULE, NON_EMPTY_TEXT_RULE, URL_RULE } from './config-values.js';
import { durationText } from './duration.js';

/** The shortest and longest a duration key allows, and why, as messages say it. */
export interface DurationLimits {
  readonly minMs: number;
  readonly maxMs: number;
  /** Ends a message about a duration out of bounds: "… is '7h', longer than 6h: <why>." */
  readonly why: string;
}

/** `pause`: at most 6 hours, the longest a GitHub-hosted job runs. */
export const PAUSE_LIMITS: DurationLimits = {
  minMs: 0,
  maxMs: 6 * 3_600_000,
  why: 'a GitHub-hosted job runs at most 6 hours, so a pause lasts from 0s to 6h',
};

/** `check-interval`: from once a second to once an hour. */
export const CHECK_INTERVAL_LIMITS: DurationLimits = {
  minMs: 1000,
  maxMs: 3_600_000,
  why: 'the checks repeat every 1s to 1h during a pause',
};

/** The characters of a blue-green slot name. */
export const SLOT_NAME_PATTERN = '^[A-Za-z0-9._-]{1,40}$';

/**
 * A duration within `limits` as far as JSON Schema can say it: the bounds apply to a number of seconds; text
 * such as `7h` is bounded by the validator only.
 */
function durationWithin(limits: DurationLimits): ConfigRule {
  return {
    allOf: [
      DURATION_RULE,
      {
        anyOf: [
          { type: 'string' },
          { type: 'number', minimum: limits.minMs / 1000, maximum: limits.maxMs / 1000 },
        ],
      },
    ],
  };
}

/** `strategy`. */
export const STRATEGY_RULE = {
  description:
    "How the release rolls out: 'all-at-once' (one step, as without 'rollout'), 'canary' (a growing share of the " +
    "traffic), 'phased' (groups of targets one after the other) or 'blue-green' (deploy to the idle slot, then " +
    'switch traffic to it).',
  type: 'string',
  enum: ROLLOUT_STRATEGIES,
  fix: `Write ${quotedList(ROLLOUT_STRATEGIES, 'or')}.`,
  whenMissing: "'strategy: canary' (or phased, blue-green, all-at-once)",
} as const satisfies ConfigRule;

/** `pause` of a canary or phased step. */
export const STEP_PAUSE_RULE = {
  description:
    'How long the checks are watched after this step before the next one (0: go on at once); at most 6h, the ' +
    'longest a GitHub-hosted job runs.',
  ...durationWithin(PAUSE_LIMITS),
  default: '0s',
} as const satisfies ConfigRule;

/** `check-interval` of a canary, phased or blue-green rollout. */
export const CHECK_INTERVAL_RULE = {
  description: 'How often the checks repeat during a pause; 1s to 1h.',
  ...durationWithin(CHECK_INTERVAL_LIMITS),
  default: durationText(DEFAULT_CHECK_INTERVAL_MS),
} as const satisfies ConfigRule;

/** `on-failure` of a canary, phased or blue-green rollout. */
export const ON_FAILURE_RULE = {
  description:
    "What a failing check does: 'rollback' undoes the steps done; 'halt' stops where the rollout is.",
  type: 'string',
  enum: ON_FAILURE_VALUES,
  default: 'rollback',
  fix: "Write 'rollback' (undo the steps done) or 'halt' (stop where the rollout is).",
} as const satisfies ConfigRule;

/** One step of a canary rollout (`definitions.canaryStep`). */
export const CANARY_STEP_RULE = {
  description:
    'One canary step: the share of the traffic the release gets, then how long the checks are watched.',
  type: 'object',
  required: ['weight'],
  additionalProperties: false,
  properties: {
    weight: {
      description:
        'The percentage of the traffic sent to the release, 1 to 100: more than at the step before, 100 at the ' +
        'last step.',
      type: 'integer',
      minimum: 1,
      maximum: 100,
      fix: "Write a whole percentage from 1 to 100, e.g. 'weight: 10'.",
      whenMissing:
        "'weight:' with the percentage of the traffic this step sends to the release, e.g. 'weight: 10'",
    },
    pause: STEP_PAUSE_RULE,
  },
  fix: "Write each step as a mapping such as '{ weight: 10, pause: 5m }'.",
} as const satisfies ConfigRule;

/** One step of a phased rollout (`definitions.phasedStep`). */
export const PHASED_STEP_RULE = {
  description:
    'One phased step: the targets (regions, clusters, hosts) that get the release, then the pause.',
  type: 'object',
  required: ['targets'],
  additionalProperties: false,
  properties: {
    targets: {
      description:
        'The targets this step deploys to: a name, or a list of names. Each target is in one step only.',
      anyOf: [
        NON_EMPTY_TEXT_RULE,
        { type: 'array', minItems: 1, uniqueItems: true, items: NON_EMPTY_TEXT_RULE },
      ],
      fix: "List the targets this step deploys to, e.g. 'targets: [eu-west-1]' or 'targets: [us-east-1, us-west-2]'.",
      whenMissing: "'targets:' with the targets this step deploys to, e.g. 'targets: [eu-west-1]'",
    },
    pause: STEP_PAUSE_RULE,
  },
  fix: "Write each step as a mapping such as '{ targets: [eu-west-1], pause: 10m }'.",
} as const satisfies ConfigRule;

/** `steps` of a canary rollout. */
const CANARY_STEPS_RULE = {
  description: `The steps, in order (1 to ${MAX_ROLLOUT_STEPS}): each sends a larger share of the traffic to the release; the last sends it all (weight 100).`,
  type: 'array',
  minItems: 1,
  maxItems: MAX_ROLLOUT_STEPS,
  items: CANARY_STEP_RULE,
  fix: "List the steps, each with a 'weight', e.g. 'steps: [{ weight: 10, pause: 5m }, { weight: 100 }]'.",
  whenMissing: "them, e.g. 'steps: [{ weight: 10, pause: 5m }, { weight: 100 }]'",
} as const satisfies ConfigRule;

/** `steps` of a phased rollout. */
const PHASED_STEPS_RULE = {
  description: `The steps, in order (1 to ${MAX_ROLLOUT_STEPS}): each deploys the release to its targets.`,
  type: 'array',
  minItems: 1,
  maxItems: MAX_ROLLOUT_STEPS,
  items: PHASED_STEP_RULE,
  fix: "List the steps, each with 'targets', e.g. 'steps: [{ targets: [eu-west-1], pause: 10m }, { targets: [us-east-1] }]'.",
  whenMissing: "them, e.g. 'steps: [{ targets: [eu-west-1], pause: 10m }, { targets: [us-east-1] }]'",
} as const satisfies ConfigRule;

/** An all-at-once rollout: nothing but its strategy. */
export const ALL_AT_ONCE_ROLLOUT_RULE = {
  description: 'all-at-once: the release is deployed in one step, as without rollout.',
  type: 'object',
  additionalProperties: false,
  properties: { strategy: true },
} as const satisfies ConfigRule;

/** A canary rollout (`definitions.canaryRollout`). */
export const CANARY_ROLLOUT_RULE = {
  description:
    "canary: the release gets a growing share of the traffic, step by step ('steps' with 'weight'), the checks " +
    'watched during each pause.',
  type: 'object',
  required: ['steps'],
  additionalProperties: false,
  properties: {
    strategy: true,
    steps: CANARY_STEPS_RULE,
    'check-interval': CHECK_INTERVAL_RULE,
    'on-failure': ON_FAILURE_RULE,
  },
} as const satisfies ConfigRule;

/** A phased rollout (`definitions.phasedRollout`). */
export const PHASED_ROLLOUT_RULE = {
  description:
    "phased: the release goes to groups of targets one after the other ('steps' with 'targets'), the checks " +
    'watched during each pause.',
  type: 'object',
  required: ['steps'],
  additionalProperties: false,
  properties: {
    strategy: true,
    steps: PHASED_STEPS_RULE,
    'check-interval': CHECK_INTERVAL_RULE,
    'on-failure': ON_FAILURE_RULE,
  },
} as const satisfies ConfigRule;

/** A blue-green rollout (`definitions.blueGreenRollout`). */
export const BLUE_GREEN_ROLLOUT_RULE = {
  description:
    'blue-green: two fixed steps. The release is deployed to the idle slot, watched there during the pause, then ' +
    'traffic switches to it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    strategy: true,
    slots: {
      description:
        "The two slots, each a name of at most 40 letters, digits, '.', '_' and '-'; the release goes to the one not " +
        'serving. Default: [blue, green].',
      type: 'array',
      minItems: 2,
      maxItems: 2,
      uniqueItems: true,
      items: { type: 'string', pattern: SLOT_NAME_PATTERN },
      examples: [['blue', 'green']],
      fix: "Name two different slots, e.g. 'slots: [blue, green]'.",
    },
    'preview-url': {
      description:
        "Where the idle slot answers before the switch, '{slot}' standing for its name: an http(s) URL without " +
        'a user name or password.',
      allOf: [URL_RULE],
      examples: ['https://{slot}.pre.example.com'],
      fix: "Write the address the idle slot answers at, '{slot}' standing for its name, e.g. 'https://{slot}.pre.example.com'.",
    },
    pause: {
      description:
        'How long the idle slot is watched before traffic switches to it (0: switch at once); at most 6h, the ' +
        'longest a GitHub-hosted job runs.',
      ...durationWithin(PAUSE_LIMITS),
      default: '0s',
    },
    'check-interval': CHECK_INTERVAL_RULE,
    'on-failure': ON_FAILURE_RULE,
  },
} as const satisfies ConfigRule;

/** The rule of each strategy: the keys it takes besides `strategy`, which are the only ones it allows. */
export const STRATEGY_RULES = {
  'all-at-once': ALL_AT_ONCE_ROLLOUT_RULE,
  canary: CANARY_ROLLOUT_RULE,
  phased: PHASED_ROLLOUT_RULE,
  'blue-green': BLUE_GREEN_ROLLOUT_RULE,
} as const satisfies Record<RolloutStrategy, ConfigRule>;

/** `environments[n].rollout` (`definitions.rollout`): the strategy, then the keys that strategy takes. */
export const ROLLOUT_RULE = {
  description:
    "How a release rolls out in this environment: in the steps of 'strategy'. During each pause the " +
    "environment's checks repeat every 'check-interval'; a failing check undoes the steps done or halts the " +
    "rollout ('on-failure'). Without rollout, a release is deployed all at once.",
  type: 'object',
  required: ['strategy'],
  properties: { strategy: STRATEGY_RULE },
  allOf: ROLLOUT_STRATEGIES.map((strategy) => ({
    if: { properties: { strategy: { const: strategy } }, required: ['strategy'] },
    then: STRATEGY_RULES[strategy],
  })),
  examples: [
    {
      strategy: 'canary',
      steps: [{ weight: 10, pause: '5m' }, { weight: 50, pause: '10m' }, { weight: 100 }],
    },
    { strategy: 'blue-green', 'preview-url': 'https://{slot}.pre.example.com', pause: '5m' },
  ],
  fix:
    "Write a mapping with 'strategy' and the keys of that strategy, e.g. " +
    "'{ strategy: canary, steps: [{ weight: 10, pause: 5m }, { weight: 100 }] }'.",
} as const satisfies ConfigRule;
