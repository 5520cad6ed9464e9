/**
 * The configuration shared by every action: `.github/promotion.yml` (the chain of environments and their
 * settings, how versions are tagged), or the `environments` input for users without a file. The keys, values,
 * patterns, defaults and fixes come from the one definition in `config-schema.ts`, from which
 * `schema/promotion.schema.json` is generated; this module adds what a schema cannot say (names unique
 * ignoring case, `starts-at` naming an environment of the chain) and says where each mistake is.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckSpec } from '../checks/check-spec.js';
import { parseCheckSpecs } from '../checks/parse-check-specs.js';
import { InputError, UserError } from '../errors.js';
import { DEFAULT_ENVIRONMENT_TAG_PREFIX } from '../state/environment-tag.js';
import { closestMatch } from './closest-match.js';
import {
  ConfigDocument,
  describeValue,
  field,
  isMapping,
  readList,
  readMapping,
  readString,
  type FieldPath,
} from './config-document.js';
import { keysOf, type ConfigRule } from './config-rule.js';
import {
  ENVIRONMENT_RULE,
  ENVIRONMENTS_RULE,
  PROMOTION_CONFIG_RULE,
  VERSIONING_RULE,
} from './config-schema.js';
import { environmentUrlProblem, isStrictSemver, tagPrefixProblem } from './config-values.js';
import { EnvironmentChain, parseEnvironmentList, type EnvironmentConfig } from './environment-chain.js';
import { ENVIRONMENT_NAME_RULE, environmentNameProblem } from './environment-name.js';
import { readFreezeSettings } from './freeze-config.js';
import type { FreezeWindow } from './freeze-windows.js';
import { readRollout } from './rollout-settings.js';

/** Where the configuration file is looked for unless the `config` input says otherwise. */
export const DEFAULT_CONFIG_PATH = '.github/promotion.yml';
/** Default `versioning.tag-prefix`: versions are tagged `v1.2.3`. */
export const DEFAULT_VERSION_TAG_PREFIX: string = VERSIONING_RULE.properties['tag-prefix'].default;
/** Default `versioning.initial`: the first version given when none was released yet. */
export const DEFAULT_INITIAL_VERSION: string = VERSIONING_RULE.properties.initial.default;

/** The rules of the keys of an environment written as a mapping. */
const SETTINGS = ENVIRONMENT_RULE.properties;

/** The three lines shown to someone who has neither a configuration file nor the `environments` input. */
export const CONFIG_EXAMPLE = ['environments:', '  - integration', '  - production'].join('\n');

/** How versions are given and tagged (`versioning` in the file). */
export interface VersioningConfig {
  /** Put before a version to name its tag and release: `v` gives `v1.2.3`. May be empty. */
  tagPrefix: string;
  /** The version of the first release, a Semantic Version without `v`. */
  initial: string;
  /** The first environment whose releases get a version; one of the chain's names. */
  startsAt: string;
}

/** The validated configuration every action works from. */
export interface PromotionConfig {
  /** The environments in promotion order, each with `approval` and `preventSelfApproval` filled in. */
  chain: EnvironmentChain;
  versioning: VersioningConfig;
  /** Environment tags are `refs/tags/<environmentTagPrefix><environment>`. */
  environmentTagPrefix: string;
  /**
   * The freeze windows of each environment of the chain that has some (`environments[n].freeze`), keyed by the
   * chain's name; read them with {@link freezeWindowsOf}.
   */
  freezeWindows: ReadonlyMap<string, readonly FreezeWindow[]>;
  /** Where the configuration came from, for messages and summaries, e.g. `.github/promotion.yml in the workspace`. */
  source: string;
}

/** What {@link loadPromotionConfig} needs. */
export interface LoadConfigRequest {
  /** The `config` input; empty means {@link DEFAULT_CONFIG_PATH}. Relative to the workspace / repository root. */
  configPath: string;
  /** The `environments` input; empty when not given. */
  environmentsInput: string;
  /** `GITHUB_WORKSPACE`; undefined when unknown. */
  workspace: string | undefined;
  /**
   * Reads a file (path relative to the repository root) through the GitHub API at the commit being
   * released; undefined when there is none (404). Used only when the file is not in the workspace.
   */
  readRemoteFile?: (path: string) => Promise<string | undefined>;
}

/** The file as read, before the chain is fixed (the `environments` input may replace it). */
interface ConfigFile {
  environments: EnvironmentConfig[];
  tagPrefix: string;
  initial: string;
  /** As written; undefined when the file leaves it to the default. */
  startsAt: string | undefined;
  environmentTagPrefix: string;
  /** Freeze windows by environment name in lower case (names are unique ignoring case). */
  freeze: Map<string, FreezeWindow[]>;
}

/** The freeze windows of `environment` (a name of the chain); empty when it has none. */
export function freezeWindowsOf(config: PromotionConfig, environment: string): readonly FreezeWindow[] {
  return config.freezeWindows.get(environment) ?? [];
}

/**
 * Parses and validates the text of a configuration file. `source` names it in messages and becomes
 * {@link PromotionConfig.source}. Every mistake (YAML syntax, an unknown key, a wrong type or value, a
 * duplicate environment) is a {@link UserError} naming the field (`environments[2].approval`), its line and
 * what is allowed.
 */
export function parsePromotionConfig(text: string, source: string): PromotionConfig {
  const file = readConfigFile(text, source);
  return buildConfig(file.environments, file, file.startsAt, source);
}

/**
 * Loads the configuration for an action run: `config` from the workspace when it is there, otherwise through
 * `readRemoteFile`; the `environments` input, when given, replaces the chain (environments also in the file
 * keep their settings from it, versioning and the tag prefix still come from the file). With neither a file
 * nor the input, or with a `config` input naming a missing file, a {@link UserError} says what to add.
 * Inputs are validated before anything is read.
 */
export async function loadPromotionConfig(request: LoadConfigRequest): Promise<PromotionConfig> {
  const configPath = normalizeConfigPath(request.configPath);
  const inputChain = parseEnvironmentList(request.environmentsInput);
  const found = await readConfigText(configPath, request);
  if (found) {
    const file = readConfigFile(found.text, found.source);
    if (!inputChain) return buildConfig(file.environments, file, file.startsAt, found.source);
    const settings = new Map(
      file.environments.map((environment) => [environment.name.toLowerCase(), environment]),
    );
    const environments = inputChain.environments.map((environment) => ({
      ...(settings.get(environment.name.toLowerCase()) ?? defaultSettings()),
      name: environment.name,
    }));
    const startsAt = environments.find(
      (environment) => environment.name.toLowerCase() === file.startsAt?.toLowerCase(),
    )?.name;
    return buildConfig(
      environments,
      file,
      startsAt,
      `the 'environments' input, with settings from ${found.source}`,
    );
  }
  const searched = searchedPlaces(request);
  if (configPath !== DEFAULT_CONFIG_PATH) {
    throw new InputError(
      'config',
      `names '${configPath}', which was not found ${searched}`,
      `Give the path of the configuration file relative to the repository root, or remove the input to use ${DEFAULT_CONFIG_PATH}.`,
    );
  }
  if (!inputChain) {
    throw new UserError(
      `No promotion configuration: ${DEFAULT_CONFIG_PATH} was not found ${searched}, and the 'environments' input is empty. ` +
        `Add ${DEFAULT_CONFIG_PATH} listing the environments in promotion order (example below), ` +
        `or set the 'environments' input, e.g. 'environments: integration, production'.`,
      { hint: CONFIG_EXAMPLE },
    );
  }
  const defaults: ConfigFile = {
    environments: [],
    tagPrefix: DEFAULT_VERSION_TAG_PREFIX,
    initial: DEFAULT_INITIAL_VERSION,
    startsAt: undefined,
    environmentTagPrefix: DEFAULT_ENVIRONMENT_TAG_PREFIX,
    freeze: new Map(),
  };
  return buildConfig(
    inputChain.environments.map((environment) => ({ ...defaultSettings(), name: environment.name })),
    defaults,
    undefined,
    "the 'environments' input",
  );
}

function defaultSettings(): Omit<EnvironmentConfig, 'name'> {
  return {
    approval: SETTINGS.approval.default,
    preventSelfApproval: SETTINGS['prevent-self-approval'].default,
  };
}

function buildConfig(
  environments: EnvironmentConfig[],
  file: ConfigFile,
  startsAt: string | undefined,
  source: string,
): PromotionConfig {
  const chain = new EnvironmentChain(environments, source);
  const names = chain.names;
  const freezeWindows = new Map<string, readonly FreezeWindow[]>();
  for (const name of names) {
    const windows = file.freeze.get(name.toLowerCase());
    if (windows && windows.length > 0) freezeWindows.set(name, Object.freeze([...windows]));
  }
  return {
    chain,
    versioning: {
      tagPrefix: file.tagPrefix,
      initial: file.initial,
      startsAt: startsAt ?? names[1] ?? names[0] ?? '',
    },
    environmentTagPrefix: file.environmentTagPrefix,
    freezeWindows,
    source,
  };
}

function normalizeConfigPath(raw: string): string {
  const given = raw.trim();
  if (given === '') return DEFAULT_CONFIG_PATH;
  if (path.posix.isAbsolute(given) || path.win32.isAbsolute(given)) {
    throw new InputError(
      'config',
      `is '${given}', an absolute path`,
      `Give the path relative to the repository root, e.g. '${DEFAULT_CONFIG_PATH}'.`,
    );
  }
  const normalized = path.posix.normalize(given.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new InputError(
      'config',
      `is '${given}', which leads outside the repository`,
      `Give a path inside the repository, relative to its root, e.g. '${DEFAULT_CONFIG_PATH}'.`,
    );
  }
  if (normalized === '.' || normalized.endsWith('/')) {
    throw new InputError(
      'config',
      `is '${given}', a directory`,
      `Give the path of the configuration file, e.g. '${DEFAULT_CONFIG_PATH}'.`,
    );
  }
  return normalized;
}

async function readConfigText(
  configPath: string,
  request: LoadConfigRequest,
): Promise<{ text: string; source: string } | undefined> {
  if (request.workspace) {
    try {
      const text = await readFile(path.join(request.workspace, configPath), 'utf8');
      return { text, source: `${configPath} in the workspace` };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') {
        throw new InputError(
          'config',
          `names '${configPath}', which is a directory in the workspace`,
          'Give the path of the configuration file.',
        );
      }
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new UserError(
          `Cannot read ${configPath} in the workspace: ${(error as Error).message}. ` +
            "Make the file readable by the runner, or set the 'config' input to another file.",
          { cause: error },
        );
      }
    }
  }
  if (!request.readRemoteFile) return undefined;
  const text = await request.readRemoteFile(configPath);
  if (text === undefined) return undefined;
  return { text, source: `${configPath} ${REMOTE_PLACE}` };
}

/** Where `readRemoteFile` reads, named in messages. */
const REMOTE_PLACE = 'at the released commit (GitHub API)';

function searchedPlaces(request: LoadConfigRequest): string {
  const places: string[] = [];
  if (request.workspace) places.push('in the workspace');
  if (request.readRemoteFile) places.push(REMOTE_PLACE);
  return places.length > 0 ? places.join(' or ') : '(no workspace to read it from)';
}

function readConfigFile(text: string, source: string): ConfigFile {
  const document = new ConfigDocument(text, source);
  if (document.value === null || document.value === undefined) {
    throw new UserError(
      `${source} is empty. List the environments in promotion order under 'environments' (example below).`,
      { hint: CONFIG_EXAMPLE },
    );
  }
  const top = readMapping(
    document,
    [],
    document.value,
    keysOf(PROMOTION_CONFIG_RULE),
    PROMOTION_CONFIG_RULE.fix,
  );
  const environments = readEnvironments(document, top.environments);
  const names = environments.map((environment) => environment.name);
  const freeze = readFreezeSettings(document, top.environments as unknown[], environments);

  let tagPrefix = DEFAULT_VERSION_TAG_PREFIX;
  let initial = DEFAULT_INITIAL_VERSION;
  let startsAt: string | undefined;
  if ('versioning' in top) {
    const versioning = readMapping(
      document,
      ['versioning'],
      top.versioning,
      keysOf(VERSIONING_RULE),
      VERSIONING_RULE.fix,
    );
    if ('tag-prefix' in versioning) {
      const rule = VERSIONING_RULE.properties['tag-prefix'];
      tagPrefix = readTagPrefix(document, ['versioning', 'tag-prefix'], versioning['tag-prefix'], rule);
    }
    if ('initial' in versioning) initial = readInitialVersion(document, versioning.initial);
    if ('starts-at' in versioning) startsAt = readStartsAt(document, versioning['starts-at'], names);
  }
  const prefixRule = PROMOTION_CONFIG_RULE.properties['environment-tag-prefix'];
  const environmentTagPrefix =
    'environment-tag-prefix' in top
      ? readTagPrefix(document, ['environment-tag-prefix'], top['environment-tag-prefix'], prefixRule)
      : prefixRule.default;
  return { environments, tagPrefix, initial, startsAt, environmentTagPrefix, freeze };
}

function readEnvironments(document: ConfigDocument, value: unknown): EnvironmentConfig[] {
  const at = ['environments'];
  const howToWrite = ENVIRONMENTS_RULE.fix;
  if (value === undefined) document.fail([], `'environments' is missing. ${howToWrite}`);
  const entries = readList(document, at, value, howToWrite);
  if (entries.length < ENVIRONMENTS_RULE.minItems) {
    document.fail(at, `environments is an empty list. ${howToWrite}`);
  }
  const environments = entries.map((entry, index) => readEnvironment(document, index, entry));
  const seen = new Map<string, string>();
  environments.forEach((environment, index) => {
    const earlier = seen.get(environment.name.toLowerCase());
    if (earlier !== undefined) {
      const nameAt = isMapping(entries[index]) ? ['environments', index, 'name'] : ['environments', index];
      document.fail(
        nameAt,
        `${field(nameAt)} repeats the environment '${earlier}'` +
          (earlier === environment.name
            ? ''
            : ` (as '${environment.name}'; GitHub environment names ignore case)`) +
          '. List each environment once, in promotion order.',
      );
    }
    seen.set(environment.name.toLowerCase(), environment.name);
  });
  return environments;
}

function readEnvironment(document: ConfigDocument, index: number, value: unknown): EnvironmentConfig {
  const at = ['environments', index];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { name: readName(document, at, value), ...defaultSettings() };
  }
  const entry = readMapping(document, at, value, keysOf(ENVIRONMENT_RULE), ENVIRONMENT_RULE.fix);
  if (!('name' in entry)) {
    document.fail(
      at,
      `${field(at)} has no 'name'. Add 'name:' with the GitHub environment name, e.g. 'name: production'.`,
    );
  }
  const environment: EnvironmentConfig = {
    name: readName(document, [...at, 'name'], entry.name),
    ...defaultSettings(),
  };
  if ('url' in entry) environment.url = readUrl(document, [...at, 'url'], entry.url);
  if ('verify' in entry) environment.verify = readChecks(document, [...at, 'verify'], entry.verify);
  if ('rollout' in entry) environment.rollout = readRollout(document, [...at, 'rollout'], entry.rollout);
  if ('approval' in entry) {
    const approvalAt = [...at, 'approval'];
    const approval = entry.approval;
    const values = SETTINGS.approval.enum;
    const allowed = values.find((candidate) => candidate === approval);
    if (allowed === undefined) {
      document.fail(
        approvalAt,
        `${field(approvalAt)} is ${describeValue(approval)}. Allowed values: ${values.map((v) => `'${v}'`).join(', ')} ` +
          SETTINGS.approval.fix,
      );
    }
    environment.approval = allowed;
  }
  if ('prevent-self-approval' in entry) {
    const selfAt = [...at, 'prevent-self-approval'];
    const prevent = entry['prevent-self-approval'];
    if (typeof prevent !== 'boolean') {
      document.fail(
        selfAt,
        `${field(selfAt)} is ${describeValue(prevent)}, not a boolean. ${SETTINGS['prevent-self-approval'].fix}`,
      );
    }
    environment.preventSelfApproval = prevent;
  }
  return environment;
}

function readName(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const name = readString(document, at, value, ENVIRONMENT_NAME_RULE.fix);
  const problem = environmentNameProblem(name);
  if (problem) {
    document.fail(
      at,
      `${field(at)} is ${describeValue(name)}: an environment name ${problem}. ` +
        "Use the GitHub environment's name, e.g. 'production'.",
    );
  }
  return name;
}

function readUrl(document: ConfigDocument, at: FieldPath, value: unknown): string {
  const howToWrite = SETTINGS.url.fix;
  const url = readString(document, at, value, howToWrite);
  const problem = environmentUrlProblem(url);
  if (problem) document.fail(at, `${field(at)} is ${describeValue(url)}, which ${problem}. ${howToWrite}`);
  return url;
}

function readChecks(document: ConfigDocument, at: FieldPath, value: unknown): CheckSpec[] {
  const checks = readList(document, at, value, SETTINGS.verify.fix);
  try {
    return parseCheckSpecs(checks, field(at));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const line = document.lineOf(at);
    throw new UserError(`${document.source}${line === undefined ? '' : `, line ${line}`}: ${error.message}`, {
      hint: error.hint,
      cause: error,
    });
  }
}

/** A tag prefix; `rule` says whether it may be empty (no `minLength`). */
function readTagPrefix(document: ConfigDocument, at: FieldPath, value: unknown, rule: ConfigRule): string {
  const mayBeEmpty = rule.minLength === undefined;
  const example = mayBeEmpty
    ? "e.g. 'v' (tags v1.2.3) or '' (tags 1.2.3)"
    : "e.g. 'env/' (tags env/production)";
  const prefix = readString(document, at, value, `Write the prefix of the tags, ${example}.`);
  if (prefix === '' && !mayBeEmpty) {
    document.fail(at, `${field(at)} is empty. Write the prefix of the environment tags, ${example}.`);
  }
  const problem = tagPrefixProblem(prefix);
  if (problem)
    document.fail(
      at,
      `${field(at)} is ${describeValue(prefix)}, which ${problem}. Write a prefix ${example}.`,
    );
  return prefix;
}

function readInitialVersion(document: ConfigDocument, value: unknown): string {
  const at = ['versioning', 'initial'];
  const howToWrite = VERSIONING_RULE.properties.initial.fix;
  if (typeof value === 'number') {
    document.fail(at, `${field(at)} is ${describeValue(value)}, not a version. ${howToWrite}`);
  }
  const version = readString(document, at, value, howToWrite);
  if (/^v\d/i.test(version) && isStrictSemver(version.slice(1))) {
    document.fail(
      at,
      `${field(at)} is ${describeValue(version)}. Write it without the 'v' ('${version.slice(1)}'); ` +
        'versioning.tag-prefix adds it to the tag.',
    );
  }
  if (!isStrictSemver(version)) {
    document.fail(
      at,
      `${field(at)} is ${describeValue(version)}, which is not a Semantic Version. ${howToWrite}`,
    );
  }
  return version;
}

function readStartsAt(document: ConfigDocument, value: unknown, names: string[]): string {
  const at = ['versioning', 'starts-at'];
  const chain = names.join(' -> ');
  const given = readString(document, at, value, `Name one environment of the chain (${chain}).`);
  // GitHub environment names ignore case: `Production` is the chain's `production`.
  const name = names.find((candidate) => candidate.toLowerCase() === given.toLowerCase()) ?? given;
  if (!names.includes(name)) {
    const suggestion = closestMatch(name, names);
    document.fail(
      at,
      `${field(at)} is ${describeValue(name)}, which is not an environment of the chain (${chain}).` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ' Name the first environment whose releases get a version.',
    );
  }
  return name;
}
