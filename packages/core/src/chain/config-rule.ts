/**
 * The vocabulary the rules of `.github/promotion.yml` are written in: the part of JSON Schema (draft-07) the
 * published schema uses, plus what only the validator says (how to fix a value, what to add when a key is
 * missing). `config-json-schema.ts` turns rules into the schema by dropping the validator's part; the
 * validator reads keys, values, patterns, defaults and sentences from the same objects.
 */

/** A rule, or `true` (anything), as JSON Schema allows inside `properties`. */
export type ConfigRuleOrAny = ConfigRule | true;

/** One rule: what a value must be, what it means, and how the validator tells someone to fix it. */
export interface ConfigRule {
  readonly description?: string;
  readonly type?: 'string' | 'boolean' | 'integer' | 'number' | 'array' | 'object';
  readonly required?: readonly string[];
  /** `false`: no key but those of `properties`; a rule: what the value of every other key must be. */
  readonly additionalProperties?: false | ConfigRule;
  /** What every key of a mapping must be (e.g. a header name's pattern). */
  readonly propertyNames?: ConfigRule;
  /** The keys of a mapping, in the order the schema lists them and messages name them. */
  readonly properties?: Readonly<Record<string, ConfigRuleOrAny>>;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly items?: ConfigRule;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** The one value allowed (the `if` of a rule that depends on a key's value, e.g. a rollout's `strategy`). */
  readonly const?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly allOf?: readonly ConfigRule[];
  readonly anyOf?: readonly ConfigRule[];
  readonly if?: ConfigRule;
  readonly then?: ConfigRule;
  readonly else?: ConfigRule;
  /** The value used when the key is left out; the schema's description ends with "Default: <it>.". */
  readonly default?: string | boolean;
  readonly examples?: readonly unknown[];
  /** Validator only: the sentence that ends a message about a wrong value, saying how to write it. */
  readonly fix?: string;
  /** Validator only: what to add when a required key is missing ("Add <whenMissing>."). */
  readonly whenMissing?: string;
}

/** The keys of the validator's part of a rule, which the published schema leaves out. */
export const VALIDATOR_ONLY_KEYS: readonly (keyof ConfigRule)[] = ['fix', 'whenMissing'];

/** The keys a mapping rule allows, in order. */
export function keysOf(rule: ConfigRule): string[] {
  return Object.keys(rule.properties ?? {});
}

/** `'a', 'b' <conjunction> 'c'`: keys or values as messages list them. */
export function quotedList(words: readonly string[], conjunction: 'and' | 'or'): string {
  const quoted = words.map((word) => `'${word}'`);
  const last = quoted.pop();
  return quoted.length === 0 ? (last ?? '') : `${quoted.join(', ')} ${conjunction} ${last}`;
}
