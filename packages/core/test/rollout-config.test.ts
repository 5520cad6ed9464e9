import { describe, expect, it } from '@jest/globals';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { UserError } from '../src/errors.js';
import type { RolloutConfig } from '../src/rollout/rollout-config.js';

const SOURCE = '.github/promotion.yml';

/**
 * A file whose second environment, production, has `rollout` (block YAML, written without indentation). Its
 * lines: 1 `environments:`, 2 `- integration`, 3 `- name: production`, 4 `rollout:`, then the rollout's own
 * lines from line 5.
 */
function withRollout(rollout: string): string {
  const body = rollout
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
  return `environments:\n  - integration\n  - name: production\n    rollout:\n${body}\n`;
}

/** The line of the file {@link withRollout} gives where the rollout's line `n` (from 1) is. */
const rolloutLine = (n: number): number => 4 + n;

function rolloutOf(rollout: string): RolloutConfig | undefined {
  return parsePromotionConfig(withRollout(rollout), SOURCE).chain.get('production').rollout;
}

/** The message of the UserError that parsing the file throws. */
function problemOf(rollout: string): string {
  try {
    parsePromotionConfig(withRollout(rollout), SOURCE);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError, but the configuration was accepted');
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Good {
  label: string;
  rollout: string;
  expected: RolloutConfig;
}

const GOOD: Good[] = [
  {
    label: 'canary, with the defaults filled in',
    rollout: `
strategy: canary
steps:
  - { weight: 10, pause: 5m }
  - { weight: 50, pause: 10m }
  - { weight: 100 }`,
    expected: {
      strategy: 'canary',
      steps: [
        { weight: 10, pauseMs: 300_000 },
        { weight: 50, pauseMs: 600_000 },
        { weight: 100, pauseMs: 0 },
      ],
      checkIntervalMs: 30_000,
      onFailure: 'rollback',
    },
  },
  {
    label: 'canary of one step, every key given',
    rollout: `
strategy: canary
steps: [{ weight: 100, pause: 90 }]
check-interval: 10
on-failure: halt`,
    expected: {
      strategy: 'canary',
      steps: [{ weight: 100, pauseMs: 90_000 }],
      checkIntervalMs: 10_000,
      onFailure: 'halt',
    },
  },
  {
    label: 'phased, a single target and a list of them',
    rollout: `
strategy: phased
steps:
  - { targets: eu-west-1, pause: 10m }
  - { targets: [us-east-1, us-west-2] }
check-interval: 1m`,
    expected: {
      strategy: 'phased',
      steps: [
        { targets: ['eu-west-1'], pauseMs: 600_000 },
        { targets: ['us-east-1', 'us-west-2'], pauseMs: 0 },
      ],
      checkIntervalMs: 60_000,
      onFailure: 'rollback',
    },
  },
  {
    label: 'blue-green, with the defaults filled in',
    rollout: 'strategy: blue-green',
    expected: {
      strategy: 'blue-green',
      slots: ['blue', 'green'],
      previewUrl: undefined,
      pauseMs: 0,
      checkIntervalMs: 30_000,
      onFailure: 'rollback',
    },
  },
  {
    label: 'blue-green, every key given',
    rollout: `
strategy: blue-green
slots: [a.1, b_2]
preview-url: https://{slot}.pre.example.com/health
pause: 5m
check-interval: '45'
on-failure: halt`,
    expected: {
      strategy: 'blue-green',
      slots: ['a.1', 'b_2'],
      previewUrl: 'https://{slot}.pre.example.com/health',
      pauseMs: 300_000,
      checkIntervalMs: 45_000,
      onFailure: 'halt',
    },
  },
  {
    label: 'blue-green, a preview URL without {slot}',
    rollout: 'strategy: blue-green\npreview-url: https://preview.example.com',
    expected: {
      strategy: 'blue-green',
      slots: ['blue', 'green'],
      previewUrl: 'https://preview.example.com',
      pauseMs: 0,
      checkIntervalMs: 30_000,
      onFailure: 'rollback',
    },
  },
  { label: 'all-at-once', rollout: 'strategy: all-at-once', expected: { strategy: 'all-at-once' } },
  {
    label: 'durations at their bounds (a 6h pause, check-interval 1s and 1h)',
    rollout: `
strategy: canary
steps: [{ weight: 1, pause: 6h }, { weight: 100, pause: 0 }]
check-interval: 1s`,
    expected: {
      strategy: 'canary',
      steps: [
        { weight: 1, pauseMs: 21_600_000 },
        { weight: 100, pauseMs: 0 },
      ],
      checkIntervalMs: 1000,
      onFailure: 'rollback',
    },
  },
  {
    label: 'a check interval of an hour, written with minutes',
    rollout: 'strategy: blue-green\ncheck-interval: 60m',
    expected: {
      strategy: 'blue-green',
      slots: ['blue', 'green'],
      previewUrl: undefined,
      pauseMs: 0,
      checkIntervalMs: 3_600_000,
      onFailure: 'rollback',
    },
  },
];

interface Bad {
  label: string;
  rollout: string;
  /** The rollout's line (from 1) the message names. */
  line: number;
  /** The field the message starts with. */
  field: string;
  says: RegExp;
}

const ROLLOUT = 'environments[1].rollout';
const ELEVEN_STEPS = Array.from({ length: 11 }, (_, index) => `{ weight: ${index * 9 + 10} }`).join(', ');

const BAD: Bad[] = [
  {
    label: 'canary weights that do not increase',
    rollout: 'strategy: canary\nsteps:\n  - weight: 10\n  - weight: 10\n  - weight: 100',
    line: 4,
    field: `${ROLLOUT}.steps[1].weight`,
    says: /is 10, not more than steps\[0\]\.weight \(10\): canary weights increase from step to step/,
  },
  {
    label: 'canary weights that go down',
    rollout: 'strategy: canary\nsteps:\n  - weight: 50\n  - weight: 100\n  - weight: 20',
    line: 5,
    field: `${ROLLOUT}.steps[2].weight`,
    says: /is 20, not more than steps\[1\]\.weight \(100\)/,
  },
  {
    label: 'a last canary step below 100',
    rollout: 'strategy: canary\nsteps:\n  - weight: 10\n  - weight: 50\n  - weight: 80',
    line: 5,
    field: `${ROLLOUT}.steps[2].weight`,
    says: /is 80: the last canary step sends all traffic to the release; make it 100, or add a step with 'weight: 100'/,
  },
  {
    label: 'a phased step without targets',
    rollout: 'strategy: phased\nsteps:\n  - pause: 5m',
    line: 3,
    field: `${ROLLOUT}.steps[0]`,
    says: /has no 'targets'\. Add 'targets:' with the targets this step deploys to/,
  },
  {
    label: 'phased without steps',
    rollout: 'strategy: phased\non-failure: halt',
    line: 1,
    field: ROLLOUT,
    says: /has no 'steps': phased needs 'steps', each with 'targets'\. Add them, e\.g\./,
  },
  {
    label: 'canary without steps',
    rollout: 'strategy: canary',
    line: 1,
    field: ROLLOUT,
    says: /has no 'steps': canary needs 'steps', each with 'weight'/,
  },
  {
    label: 'an empty list of steps',
    rollout: 'strategy: canary\nsteps: []',
    line: 2,
    field: `${ROLLOUT}.steps`,
    says: /is an empty list\. List the steps, each with a 'weight'/,
  },
  {
    label: 'too many steps',
    rollout: `strategy: canary\nsteps: [${ELEVEN_STEPS}]`,
    line: 2,
    field: `${ROLLOUT}.steps`,
    says: /lists 11 steps; a canary rollout has at most 10/,
  },
  {
    label: 'a step that is not a mapping',
    rollout: 'strategy: canary\nsteps: [10, 100]',
    line: 2,
    field: `${ROLLOUT}.steps[0]`,
    says: /is the number 10, not a mapping\. Write each step as a mapping such as '\{ weight: 10, pause: 5m \}'/,
  },
  {
    label: 'a canary step with targets',
    rollout: 'strategy: canary\nsteps:\n  - weight: 100\n    targets: [eu-west-1]',
    line: 4,
    field: `${ROLLOUT}.steps[0]`,
    says: /has 'targets', which are for phased rollouts/,
  },
  {
    label: 'a phased step with a weight',
    rollout: 'strategy: phased\nsteps:\n  - targets: [eu-west-1]\n    weight: 50',
    line: 4,
    field: `${ROLLOUT}.steps[0]`,
    says: /has 'weight', which is for canary rollouts/,
  },
  {
    label: 'a weight with a percent sign',
    rollout: "strategy: canary\nsteps:\n  - weight: '100%'",
    line: 3,
    field: `${ROLLOUT}.steps[0].weight`,
    says: /is '100%', written with '%'\. Write a whole percentage from 1 to 100/,
  },
  {
    label: 'a weight of 0',
    rollout: 'strategy: canary\nsteps:\n  - weight: 0\n  - weight: 100',
    line: 3,
    field: `${ROLLOUT}.steps[0].weight`,
    says: /is the number 0, not from 1 to 100/,
  },
  {
    label: 'a weight that is not whole',
    rollout: 'strategy: canary\nsteps:\n  - weight: 12.5\n  - weight: 100',
    line: 3,
    field: `${ROLLOUT}.steps[0].weight`,
    says: /is the number 12\.5, not a whole number/,
  },
  {
    label: 'a canary step without a weight',
    rollout: 'strategy: canary\nsteps:\n  - pause: 5m',
    line: 3,
    field: `${ROLLOUT}.steps[0]`,
    says: /has no 'weight'\. Add 'weight:'/,
  },
  {
    label: 'blue-green with one slot',
    rollout: 'strategy: blue-green\nslots: [blue]',
    line: 2,
    field: `${ROLLOUT}.slots`,
    says: /lists one slot: blue-green needs two, e\.g\. \[blue, green\]/,
  },
  {
    label: 'blue-green with three slots',
    rollout: 'strategy: blue-green\nslots: [blue, green, red]',
    line: 2,
    field: `${ROLLOUT}.slots`,
    says: /lists 3 slots: blue-green needs exactly two/,
  },
  {
    label: 'blue-green with the same slot twice',
    rollout: 'strategy: blue-green\nslots: [blue, blue]',
    line: 2,
    field: `${ROLLOUT}.slots[1]`,
    says: /repeats 'blue': the two slots need different names/,
  },
  {
    label: 'a slot name with a space',
    rollout: "strategy: blue-green\nslots: ['blue one', green]",
    line: 2,
    field: `${ROLLOUT}.slots[0]`,
    says: /is 'blue one': a slot name is at most 40 letters, digits/,
  },
  {
    label: 'a slot name of 41 characters',
    rollout: `strategy: blue-green\nslots: [${'b'.repeat(41)}, green]`,
    line: 2,
    field: `${ROLLOUT}.slots[0]`,
    says: /a slot name is at most 40 letters/,
  },
  {
    label: 'blue-green with steps',
    rollout: 'strategy: blue-green\nsteps:\n  - weight: 100',
    line: 2,
    field: ROLLOUT,
    says: /has 'steps', but blue-green has two fixed steps: deploy to the idle slot, then switch traffic to it/,
  },
  {
    label: 'a preview URL that is not http(s)',
    rollout: 'strategy: blue-green\npreview-url: ftp://{slot}.example.com',
    line: 2,
    field: `${ROLLOUT}.preview-url`,
    says: /is 'ftp:\/\/\{slot\}\.example\.com', which \(with '\{slot\}' as 'blue'\) uses 'ftp'; only http and https/,
  },
  {
    label: 'all-at-once with steps',
    rollout: 'strategy: all-at-once\nsteps:\n  - weight: 100',
    line: 2,
    field: ROLLOUT,
    says: /has 'steps', which applies to the other strategies \(canary, phased\): all-at-once deploys the release in one step/,
  },
  {
    label: 'all-at-once with on-failure',
    rollout: 'strategy: all-at-once\non-failure: halt',
    line: 2,
    field: ROLLOUT,
    says: /has 'on-failure', which applies to the other strategies \(canary, phased, blue-green\)/,
  },
  {
    label: 'canary with slots',
    rollout: 'strategy: canary\nsteps: [{ weight: 100 }]\nslots: [blue, green]',
    line: 3,
    field: ROLLOUT,
    says: /has 'slots', which applies to blue-green rollouts, not canary/,
  },
  {
    label: 'phased with a pause of its own',
    rollout: 'strategy: phased\nsteps: [{ targets: a }]\npause: 5m',
    line: 3,
    field: ROLLOUT,
    says: /has 'pause', which applies to blue-green rollouts: a phased rollout pauses after each step/,
  },
  {
    label: 'an unknown strategy',
    rollout: 'strategy: canery\nsteps: [{ weight: 100 }]',
    line: 1,
    field: `${ROLLOUT}.strategy`,
    says: /is 'canery', not a rollout strategy\. Did you mean 'canary'\? Write 'all-at-once', 'canary', 'phased' or 'blue-green'/,
  },
  {
    label: 'no strategy',
    rollout: 'steps: [{ weight: 100 }]',
    line: 1,
    field: ROLLOUT,
    says: /has no 'strategy'\. Add 'strategy: canary' \(or phased, blue-green, all-at-once\)/,
  },
  {
    label: 'a misspelt key',
    rollout: 'strategy: canary\nsteps: [{ weight: 100 }]\non-failur: halt',
    line: 3,
    field: ROLLOUT,
    says: /has an unknown key 'on-failur'\. Did you mean 'on-failure'\?/,
  },
  {
    label: 'rollout as a word',
    rollout: 'canary',
    line: 1,
    field: ROLLOUT,
    says: /is 'canary', not a mapping\. Write a mapping with 'strategy'/,
  },
  {
    label: 'a pause in words',
    rollout: "strategy: canary\nsteps:\n  - { weight: 10, pause: '5 minutes' }\n  - { weight: 100 }",
    line: 3,
    field: `${ROLLOUT}.steps[0].pause`,
    says: /is '5 minutes', not a duration\. Write a duration with its unit, e\.g\. '30s', '5m', '1h' or '1h30m'/,
  },
  {
    label: 'a negative pause',
    rollout: 'strategy: blue-green\npause: -1',
    line: 2,
    field: `${ROLLOUT}.pause`,
    says: /is the number -1, not a duration \(a duration is not negative\)/,
  },
  {
    label: 'a pause longer than a job',
    rollout: 'strategy: canary\nsteps:\n  - { weight: 10, pause: 7h }\n  - { weight: 100 }',
    line: 3,
    field: `${ROLLOUT}.steps[0].pause`,
    says: /is '7h', longer than 6h: a GitHub-hosted job runs at most 6 hours/,
  },
  {
    label: 'a pause in milliseconds',
    rollout: 'strategy: blue-green\npause: 300000',
    line: 2,
    field: `${ROLLOUT}.pause`,
    says: /is the number 300000 \(a number counts seconds\), longer than 6h/,
  },
  {
    label: 'a check interval of 0',
    rollout: 'strategy: blue-green\ncheck-interval: 0',
    line: 2,
    field: `${ROLLOUT}.check-interval`,
    says: /is the number 0 \(a number counts seconds\), less than 1s: the checks repeat every 1s to 1h during a pause/,
  },
  {
    label: 'a check interval longer than an hour',
    rollout: 'strategy: blue-green\ncheck-interval: 1h1s',
    line: 2,
    field: `${ROLLOUT}.check-interval`,
    says: /is '1h1s', longer than 1h/,
  },
  {
    label: "on-failure 'stop'",
    rollout: 'strategy: blue-green\non-failure: stop',
    line: 2,
    field: `${ROLLOUT}.on-failure`,
    says: /is 'stop', not one of 'rollback' or 'halt'\. Write 'rollback' \(undo the steps done\) or 'halt'/,
  },
  {
    label: 'a misspelt on-failure',
    rollout: 'strategy: blue-green\non-failure: rolback',
    line: 2,
    field: `${ROLLOUT}.on-failure`,
    says: /is 'rolback', not one of 'rollback' or 'halt'\. Did you mean 'rollback'\?/,
  },
  {
    label: 'a target in two steps',
    rollout:
      'strategy: phased\nsteps:\n  - targets: [eu-west-1, eu-central-1]\n  - targets: [us-east-1, eu-west-1]',
    line: 4,
    field: `${ROLLOUT}.steps[1].targets[1]`,
    says: /is 'eu-west-1', which steps\[0\] deploys to already: each target gets the release in one step/,
  },
  {
    label: 'a single target in two steps',
    rollout: 'strategy: phased\nsteps:\n  - targets: eu-west-1\n  - targets: eu-west-1',
    line: 4,
    field: `${ROLLOUT}.steps[1].targets`,
    says: /is 'eu-west-1', which steps\[0\] deploys to already/,
  },
  {
    label: 'a target twice in one step',
    rollout: 'strategy: phased\nsteps:\n  - targets: [a, a]',
    line: 3,
    field: `${ROLLOUT}.steps[0].targets[1]`,
    says: /repeats 'a'\. List each target once/,
  },
  {
    label: 'an empty list of targets',
    rollout: 'strategy: phased\nsteps:\n  - targets: []',
    line: 3,
    field: `${ROLLOUT}.steps[0].targets`,
    says: /is an empty list\. List the targets this step deploys to/,
  },
  {
    label: 'a number as a target',
    rollout: 'strategy: phased\nsteps:\n  - targets: 5',
    line: 3,
    field: `${ROLLOUT}.steps[0].targets`,
    says: /is the number 5, not a string\. Put it in quotes/,
  },
  {
    label: 'an empty target',
    rollout: "strategy: phased\nsteps:\n  - targets: ['  ']",
    line: 3,
    field: `${ROLLOUT}.steps[0].targets[0]`,
    says: /is empty\. List the targets/,
  },
];

describe('environments[n].rollout', () => {
  it.each(GOOD)('reads $label', ({ rollout, expected }) => {
    expect(rolloutOf(rollout)).toEqual(expected);
  });

  it('leaves the rollout of an environment that declares none undefined (all at once)', () => {
    const config = parsePromotionConfig(withRollout('strategy: all-at-once'), SOURCE);
    expect(config.chain.get('integration').rollout).toBeUndefined();
    expect(config.chain.get('integration')).toEqual({
      name: 'integration',
      approval: 'optional',
      preventSelfApproval: false,
    });
  });

  it.each(BAD)('refuses $label, naming the field and its line', ({ rollout, line, field, says }) => {
    const problem = problemOf(rollout);
    expect(problem).toMatch(new RegExp(`^${escaped(SOURCE)}, line ${rolloutLine(line)}: ${escaped(field)} `));
    expect(problem).toMatch(says);
  });
});
