/**
 * The published JSON Schema of `.github/promotion.yml` (`schema/promotion.schema.json`), generated from the
 * definition in `config-schema.ts` so that the schema editors use and the validator the actions run cannot
 * drift apart. `scripts/config-schema.mjs` writes it; nothing in the actions imports this module.
 */
import { VALIDATOR_ONLY_KEYS, type ConfigRule, type ConfigRuleOrAny } from './config-rule.js';
import { NAMED_RULES, PROMOTION_CONFIG_RULE, PROMOTION_SCHEMA_TITLE } from './config-schema.js';

/** The JSON Schema draft the published schema is written in (editors and Ajv read it). */
const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** The keys whose value is one rule rather than plain data (`additionalProperties` unless it is `false`). */
const RULE_KEYS = new Set(['items', 'if', 'then', 'else', 'additionalProperties', 'propertyNames']);
/** The keys whose value is a list of rules. */
const RULE_LIST_KEYS = new Set(['allOf', 'anyOf']);

/**
 * The JSON Schema document of the configuration file: the root rule, then every rule of `NAMED_RULES` once
 * under `definitions`. A named rule used anywhere else becomes a `$ref` to its definition.
 */
export function promotionJsonSchema(): Record<string, unknown> {
  const names = new Map<ConfigRule, string>(Object.entries(NAMED_RULES).map(([name, rule]) => [rule, name]));
  const definitions = Object.fromEntries(
    Object.entries(NAMED_RULES).map(([name, rule]) => [name, schemaOf(rule, names, true)]),
  );
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: PROMOTION_SCHEMA_TITLE,
    ...(schemaOf(PROMOTION_CONFIG_RULE, names, true) as Record<string, unknown>),
    definitions,
  };
}

/**
 * One rule as JSON Schema, keys in the order the definition writes them: without the validator's part, with
 * "Default: <value>." ending the description of a rule that has a default, and named rules (other than the
 * one being defined) as `$ref`.
 */
function schemaOf(rule: ConfigRuleOrAny, names: ReadonlyMap<ConfigRule, string>, defining = false): unknown {
  if (rule === true) return true;
  const name = names.get(rule);
  if (name !== undefined && !defining) return { $ref: `#/definitions/${name}` };
  const schema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule) as [keyof ConfigRule, unknown][]) {
    if (VALIDATOR_ONLY_KEYS.includes(key)) continue;
    if (key === 'properties') {
      const properties = Object.entries(value as Record<string, ConfigRuleOrAny>);
      schema[key] = Object.fromEntries(properties.map(([field, sub]) => [field, schemaOf(sub, names)]));
    } else if (RULE_KEYS.has(key) && value !== false) {
      schema[key] = schemaOf(value as ConfigRule, names);
    } else if (RULE_LIST_KEYS.has(key)) {
      schema[key] = (value as ConfigRule[]).map((sub) => schemaOf(sub, names));
    } else {
      schema[key] = value;
    }
  }
  if (rule.default !== undefined) {
    schema.description = [rule.description, `Default: ${String(rule.default)}.`].filter(Boolean).join(' ');
  }
  return schema;
}
