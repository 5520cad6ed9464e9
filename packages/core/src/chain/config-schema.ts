/**
 * The one definition of `.github/promotion.yml`: every key, its type, its allowed values or pattern, its
 * default, what it means and how the validator tells someone to fix it. `promotion-config.ts` and
 * `freeze-config.ts` validate a file from these rules; `config-json-schema.ts` turns them into
 * `schema/promotion.schema.json` (`node scripts/config-schema.mjs`; `--check` in `npm run lint` fails on drift).
 * The rules of freeze windows, checks, text values and environment names have their own files.
 */
import { DEFAULT_ENVIRONMENT_TAG_PREFIX } from '../state/environment-tag.js';
import {
  CHECK_RULE,
  COMMAND_CHECK_RULE,
  HTTP_CHECK_RULE,
  PROMETHEUS_CHECK_RULE,
  STATUS_CODE_RULE,
} from './check-schema.js';
import { quotedList, type ConfigRule } from './config-rule.js';
import {
  DATE_TIME_RULE,
  DURATION_RULE,
  NON_EMPTY_TEXT_RULE,
  SEMVER_PATTERN,
  TAG_PREFIX_RULE,
  TAG_PREFIX_WORDS,
  URL_RULE,
} from './config-values.js';
import { ENVIRONMENT_NAME_RULE } from './environment-name.js';
import {
  DATED_FREEZE_WINDOW_RULE,
  FREEZE_LIST_RULE,
  FREEZE_WINDOW_RULE,
  WEEKLY_FREEZE_WINDOW_RULE,
} from './freeze-schema.js';
import {
  BLUE_GREEN_ROLLOUT_RULE,
  CANARY_ROLLOUT_RULE,
  CANARY_STEP_RULE,
  PHASED_ROLLOUT_RULE,
  PHASED_STEP_RULE,
  ROLLOUT_RULE,
} from './rollout-schema.js';

// freeze-windows.ts reads these two from here.
export { DATE_TIME_PATTERN } from './config-values.js';
export { WEEKDAY_VALUES } from './freeze-schema.js';

/** Values of `environments[n].approval`. */
const APPROVAL_VALUES = ['required', 'optional'] as const;

/** One environment written as a mapping (`definitions.environment`, `environments[n]`). */
export const ENVIRONMENT_RULE = {
  description: 'One environment of the chain and its settings.',
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { description: 'The GitHub environment name.', allOf: [ENVIRONMENT_NAME_RULE] },
    url: {
      description:
        "Where the environment is served; shown as the deployment's environment URL. http or https, without a " +
        'user name or password.',
      allOf: [URL_RULE],
      fix: "Write the address the environment is served at, e.g. 'https://staging.example.com'.",
    },
    verify: {
      description:
        'Checks the verify action runs after a deployment to this environment when its step gives none, and ' +
        "that a rollout watches during its pauses: HTTP checks ('url'), command checks ('run') and Prometheus " +
        "checks ('prometheus' with 'query' and a comparison).",
      type: 'array',
      items: CHECK_RULE,
      fix:
        "List the checks, each with 'url' (an HTTP check), 'run' (a command) or 'prometheus' (a query), e.g. " +
        "'- url: https://example.com/healthz'.",
    },
    approval: {
      description:
        "'required': accept refuses unless an approval of this environment is recorded in the workflow run (a " +
        'required reviewer of the GitHub environment).',
      type: 'string',
      enum: APPROVAL_VALUES,
      default: 'optional',
      fix: "('required': accept refuses until an approval of this environment is recorded in the run).",
    },
    'prevent-self-approval': {
      description: 'When true, the approver must not be the person who prepared the release.',
      type: 'boolean',
      default: false,
      fix: 'Write true (the approver must not be the person who prepared the release) or false.',
    },
    freeze: FREEZE_LIST_RULE,
    rollout: ROLLOUT_RULE,
  },
  fix: "Write the environment's name, or a mapping such as '{name: production, approval: required}'.",
} as const satisfies ConfigRule;

/** The keys of an environment other than its name, as the fix of `environments` lists them. */
const settingKeys = Object.keys(ENVIRONMENT_RULE.properties).filter((key) => key !== 'name');

/** `environments`: the chain, in promotion order. */
export const ENVIRONMENTS_RULE = {
  description:
    'The environments in promotion order, first (deployed continuously) to last (production). Each entry is a ' +
    "GitHub environment name, or a mapping with 'name' and the environment's settings. A commit reaches an " +
    'environment only after it was accepted in the one before. Names must be unique, ignoring case. The ' +
    "'environments' input of the actions replaces this list (settings of environments also listed here are kept).",
  type: 'array',
  minItems: 1,
  items: { anyOf: [ENVIRONMENT_NAME_RULE, ENVIRONMENT_RULE] },
  examples: [['integration', 'preproduction', 'production']],
  fix:
    "List the environments in promotion order, e.g. 'environments: [integration, production]', or as " +
    `mappings with 'name' (and ${settingKeys.map((key) => `'${key}'`).join(', ')}).`,
} as const satisfies ConfigRule;

/** The keys of `versioning`. */
const VERSIONING_PROPERTIES = {
  'tag-prefix': {
    description:
      "Put before a version to name its git tag and GitHub Release: 'v' gives v1.2.3; '' gives 1.2.3. " +
      `${TAG_PREFIX_WORDS}.`,
    allOf: [TAG_PREFIX_RULE],
    default: 'v',
  },
  initial: {
    description:
      "The version of the first release, a Semantic Version without a leading 'v' (the tag prefix adds it).",
    type: 'string',
    pattern: SEMVER_PATTERN,
    default: '1.0.0',
    examples: ['1.0.0', '0.1.0'],
    fix: "Write a Semantic Version without 'v', e.g. '1.0.0' or '0.1.0'.",
  },
  'starts-at': {
    description:
      'The first environment whose releases get a version (and a tag and GitHub Release); releases to the ' +
      "environments before it are identified by their commit only. Must name an environment of 'environments'. " +
      'Default: the second environment (the only one when there is one).',
    allOf: [ENVIRONMENT_NAME_RULE],
  },
} as const satisfies Record<string, ConfigRule>;

/** `versioning`: how versions are given and tagged. */
export const VERSIONING_RULE = {
  description: 'How releases get versions and how their tags and GitHub Releases are named.',
  type: 'object',
  additionalProperties: false,
  properties: VERSIONING_PROPERTIES,
  fix: `Write ${quotedList(Object.keys(VERSIONING_PROPERTIES), 'or')} under it, or remove it to use the defaults.`,
} as const satisfies ConfigRule;

/** The whole file: the root of the published schema. */
export const PROMOTION_CONFIG_RULE = {
  description:
    'The chain of environments a release is promoted through, their settings, and how versions are tagged. ' +
    'Shared by every action of the suite (prepare-release, deploy-env, verify, accept, rollback, status). To ' +
    'have an editor complete and check the file, put this line at the top of .github/promotion.yml (the path ' +
    'is relative to the file; adjust it to where this schema is):\n' +
    '# yaml-language-server: $schema=../schema/promotion.schema.json',
  type: 'object',
  required: ['environments'],
  additionalProperties: false,
  properties: {
    environments: ENVIRONMENTS_RULE,
    versioning: VERSIONING_RULE,
    'environment-tag-prefix': {
      description:
        'Prefix of the environment tags: refs/tags/<prefix><environment> points at the commit accepted in each ' +
        `environment. ${TAG_PREFIX_WORDS}; not empty.`,
      type: 'string',
      minLength: 1,
      allOf: [TAG_PREFIX_RULE],
      default: DEFAULT_ENVIRONMENT_TAG_PREFIX,
    },
  },
  fix: "Start it with 'environments:' and list the environments below it, in promotion order.",
} as const satisfies ConfigRule;

/** The title of the published schema. */
export const PROMOTION_SCHEMA_TITLE = 'Release promotion configuration (.github/promotion.yml)';

/**
 * The rules the published schema names under `definitions`, in its order; everywhere else they are used, the
 * schema refers to them by name (`$ref`).
 */
export const NAMED_RULES: Readonly<Record<string, ConfigRule>> = {
  environmentName: ENVIRONMENT_NAME_RULE,
  environment: ENVIRONMENT_RULE,
  url: URL_RULE,
  tagPrefix: TAG_PREFIX_RULE,
  nonEmptyText: NON_EMPTY_TEXT_RULE,
  check: CHECK_RULE,
  httpCheck: HTTP_CHECK_RULE,
  commandCheck: COMMAND_CHECK_RULE,
  prometheusCheck: PROMETHEUS_CHECK_RULE,
  statusCode: STATUS_CODE_RULE,
  freezeWindow: FREEZE_WINDOW_RULE,
  weeklyFreezeWindow: WEEKLY_FREEZE_WINDOW_RULE,
  datedFreezeWindow: DATED_FREEZE_WINDOW_RULE,
  dateTime: DATE_TIME_RULE,
  rollout: ROLLOUT_RULE,
  canaryRollout: CANARY_ROLLOUT_RULE,
  canaryStep: CANARY_STEP_RULE,
  phasedRollout: PHASED_ROLLOUT_RULE,
  phasedStep: PHASED_STEP_RULE,
  blueGreenRollout: BLUE_GREEN_ROLLOUT_RULE,
  duration: DURATION_RULE,
};
