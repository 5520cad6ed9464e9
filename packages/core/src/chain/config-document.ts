/**
 * The YAML document of a configuration file and the helpers that read its fields: each mistake is reported as
 * a {@link UserError} naming the source, the line and the field (`environments[2].approval`).
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { UserError } from '../errors.js';
import { closestMatch } from './closest-match.js';

/** Where a field is in the document: keys and list indexes from the top, e.g. `['environments', 2, 'approval']`. */
export type FieldPath = readonly (string | number)[];

/** The YAML document of a configuration file, with the line of every field for messages. */
export class ConfigDocument {
  readonly value: unknown;
  private readonly lines: LineCounter;
  private readonly document: Document;

  constructor(
    text: string,
    readonly source: string,
  ) {
    const lines = new LineCounter();
    this.lines = lines;
    this.document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    const error = this.document.errors[0];
    if (error) {
      if (error.code === 'MULTIPLE_DOCS') {
        throw new UserError(
          `${source} holds more than one YAML document (a second '---'). Keep a single document.`,
        );
      }
      const [summary = error.message, ...rest] = error.message.split('\n');
      const snippet = rest.join('\n').trim();
      throw new UserError(
        `${source} is not valid YAML: ${summary.replace(/:$/, '')}. Fix the YAML there` +
          (snippet ? ' (the lines around it are shown below).' : '.'),
        { hint: snippet || undefined, cause: error },
      );
    }
    try {
      this.value = this.document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new UserError(
        `${source} cannot be read: ${(error as Error).message}. Write it without aliases.`,
        {
          cause: error,
        },
      );
    }
  }

  /** The 1-based line of the value at `at`, or of its key when `atKey` (or when the value has no node). */
  lineOf(at: FieldPath, atKey = false): number | undefined {
    let node: unknown = atKey
      ? undefined
      : at.length === 0
        ? this.document.contents
        : this.document.getIn(at, true);
    if (!hasRange(node) && at.length > 0) {
      const parent = this.document.getIn(at.slice(0, -1), true);
      const key = at[at.length - 1];
      if (isMap(parent)) {
        node = parent.items.find((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === key)?.key;
      }
    }
    return hasRange(node) ? this.lines.linePos(node.range[0]).line : undefined;
  }

  /** Throws a {@link UserError} about the field at `at`: `<source>, line <n>: <message>`. */
  fail(at: FieldPath, message: string, atKey = false): never {
    const line = this.lineOf(at, atKey);
    throw new UserError(`${this.source}${line === undefined ? '' : `, line ${line}`}: ${message}`);
  }
}

/** Whether `node` is a YAML node that knows where it is in the text. */
function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}

/** The name of the field at `at` for messages: `environments[2].approval`; `the file` for the top level. */
export function field(at: FieldPath): string {
  if (at.length === 0) return 'the file';
  return at
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

/** A value as named in messages: `'text'` (cut after 60 characters), `the number 3`, `empty`, `a list`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value} (a boolean)`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

/** Whether `value` is a YAML mapping read as a plain object (not a list, date or scalar). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * Checks that `value` is a mapping with only `keys`, suggesting the closest key for a typo; otherwise fails
 * with `howToWrite`.
 */
export function readMapping(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
  keys: readonly string[],
  howToWrite: string,
): Record<string, unknown> {
  if (!isMapping(value)) {
    document.fail(at, `${field(at)} is ${describeValue(value)}, not a mapping. ${howToWrite}`);
  }
  for (const key of Object.keys(value)) {
    if (keys.includes(key)) continue;
    const suggestion = closestMatch(key, keys);
    document.fail(
      [...at, key],
      `${field(at)} has an unknown key '${key}'.` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ` Allowed keys: ${keys.join(', ')}.`,
      true,
    );
  }
  return value;
}

/** Checks that `value` is a list; otherwise fails with `howToWrite`. */
export function readList(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
  howToWrite: string,
): unknown[] {
  if (!Array.isArray(value)) {
    document.fail(at, `${field(at)} is ${describeValue(value)}, not a list. ${howToWrite}`);
  }
  return value;
}

/** Checks that `value` is a string; otherwise fails, suggesting quotes for a number or boolean, then `howToWrite`. */
export function readString(
  document: ConfigDocument,
  at: FieldPath,
  value: unknown,
  howToWrite: string,
): string {
  if (typeof value !== 'string') {
    const quote =
      typeof value === 'number' || typeof value === 'boolean'
        ? ` Put it in quotes if it is meant as text.`
        : '';
    document.fail(at, `${field(at)} is ${describeValue(value)}, not a string.${quote} ${howToWrite}`);
  }
  return value;
}
