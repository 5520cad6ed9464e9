/**
 * Placeholders for what differs between two runs of the same probe (repositories, commits, ids, dates), so an
 * answer recorded on github.com can be compared with the emulator's answer to the same requests.
 *
 * Requests are written with placeholders and filled in by {@link Normalizer.substitute}: `{owner}`, `{repo}`,
 * and bound values such as `<commit:head>` (a role of the sandbox's history), `<deployment:order>` (captured
 * from an earlier answer) or `<node:repository>`. Answers are turned back into placeholders by
 * {@link Normalizer.normalize}: bound values become their placeholder (a bound object id abbreviated in a
 * message `<commit:head/short>`); any other 40-hex object id `<sha>`, ISO 8601 time `<date>`, numeric
 * `id`/`databaseId` `<id>`, string `id`/`node_id` `<node-id>`, the API URL `<api>` and `owner/name`
 * `{owner}/{repo}`. Numeric bindings are deployment ids: they replace `databaseId`, the `id` of an object with a
 * `statuses_url` (a REST deployment) and the `{id}` of `/deployments/{id}` in URLs.
 */

/** The repository and API a normalizer stands for. */
export interface NormalizerContext {
  apiUrl: string;
  owner: string;
  repo: string;
}

/** The all-zero object id: `updateRefs` reads a `beforeOid` of it as "the ref must not exist". */
export const ZERO_OID = '0'.repeat(40);
export const ZERO_OID_PLACEHOLDER = '<oid:zero>';

const PLACEHOLDER = /<[a-z]+(?::[a-z0-9-]+)?>/g;
const SHA = /\b[0-9a-f]{40}\b/g;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const ID_KEYS = new Set(['id', 'databaseId']);
const NODE_ID_KEYS = new Set(['id', 'node_id']);

/** Two-way map between placeholders and the values they stand for in one run. */
export class Normalizer {
  private readonly strings = new Map<string, string>();
  private readonly numbers = new Map<number, string>();
  private readonly values = new Map<string, string | number>();

  constructor(private readonly context: NormalizerContext) {
    this.bind(ZERO_OID_PLACEHOLDER, ZERO_OID);
  }

  /** Makes `placeholder` stand for `value` (a sha, a node id, or a deployment id). */
  bind(placeholder: string, value: string | number): void {
    if (!/^<[a-z]+:[a-z0-9-]+>$/.test(placeholder)) throw new Error(`Not a placeholder: ${placeholder}`);
    const known = this.values.get(placeholder);
    if (known !== undefined && known !== value) throw new Error(`${placeholder} is bound already`);
    this.values.set(placeholder, value);
    if (typeof value === 'number') this.numbers.set(value, placeholder);
    else this.strings.set(value, placeholder);
  }

  /** The value bound to a placeholder, if any. */
  valueOf(placeholder: string): string | number | undefined {
    return this.values.get(placeholder);
  }

  /** The placeholder bound to a value, or `<id>` / `<sha>` / the text normalized when none is. */
  nameOf(value: string | number): string {
    if (typeof value === 'number') return this.numbers.get(value) ?? '<id>';
    return this.strings.get(value) ?? this.normalizeString(value);
  }

  /** A request template with its placeholders replaced by this run's values; throws on an unbound one. */
  substitute<T>(template: T): T {
    return this.substituteValue(template) as T;
  }

  private substituteValue(template: unknown): unknown {
    if (typeof template === 'string') {
      const whole = this.values.get(template);
      if (whole !== undefined) return whole;
      const text = template
        .replaceAll('{owner}', this.context.owner)
        .replaceAll('{repo}', this.context.repo)
        .replace(PLACEHOLDER, (placeholder) => {
          const value = this.values.get(placeholder);
          if (value === undefined) throw new Error(`Unbound placeholder ${placeholder} in a request`);
          return String(value);
        });
      return text;
    }
    if (Array.isArray(template)) return template.map((item) => this.substituteValue(item));
    if (template !== null && typeof template === 'object') {
      return Object.fromEntries(
        Object.entries(template).map(([key, value]) => [key, this.substituteValue(value)]),
      );
    }
    return template;
  }

  /** An answer (or any JSON value) with run-specific values replaced by placeholders. */
  normalize(value: unknown): unknown {
    return this.normalizeValue(value, undefined, undefined);
  }

  private normalizeValue(value: unknown, key: string | undefined, parent: object | undefined): unknown {
    if (typeof value === 'number') return this.normalizeNumber(value, key, parent);
    if (typeof value === 'string') {
      const bound = this.strings.get(value);
      if (bound !== undefined) return bound;
      if (key !== undefined && NODE_ID_KEYS.has(key)) return '<node-id>';
      return this.normalizeString(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.normalizeValue(item, undefined, undefined));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([name, item]) => [name, this.normalizeValue(item, name, value)]),
      );
    }
    return value;
  }

  private normalizeNumber(value: number, key: string | undefined, parent: object | undefined): unknown {
    if (key === undefined || !ID_KEYS.has(key)) return value;
    const isDeployment = key === 'databaseId' || (parent !== undefined && 'statuses_url' in parent);
    return (isDeployment ? this.numbers.get(value) : undefined) ?? '<id>';
  }

  /** Normalizes text: bound values, then URLs and names, then the generic patterns. */
  normalizeString(text: string): string {
    let result = text;
    for (const [actual, placeholder] of [...this.strings].sort((a, b) => b[0].length - a[0].length)) {
      result = result.replaceAll(actual, placeholder);
      if (/^[0-9a-f]{40}$/.test(actual) && actual !== ZERO_OID) {
        // An abbreviated object id (7 to 39 digits) in a message: `<commit:head/short>`.
        const abbreviated = new RegExp(`\\b${actual.slice(0, 7)}[0-9a-f]{0,32}\\b`, 'g');
        const short = `${placeholder.slice(0, -1)}/short>`;
        result = result.replace(abbreviated, (match) => (actual.startsWith(match) ? short : match));
      }
    }
    result = result.replaceAll(this.context.apiUrl, '<api>');
    const fullName = `${this.context.owner}/${this.context.repo}`;
    result = result.replace(new RegExp(escapeRegExp(fullName), 'gi'), '{owner}/{repo}');
    if (/^(?:https?:\/\/|<api>)/.test(result)) result = this.normalizeUrlIds(result);
    result = result.replace(SHA, '<sha>');
    return ISO_TIME.test(result) ? '<date>' : result;
  }

  /** Numeric path segments of a URL: a bound deployment id after `/deployments/`, else `<id>`. */
  private normalizeUrlIds(url: string): string {
    return url.replace(/\/(\d+)(?=$|[/?#])/g, (_segment, digits: string, offset: number) => {
      const afterDeployments = url.slice(0, offset).endsWith('/deployments');
      const placeholder = afterDeployments ? this.numbers.get(Number(digits)) : undefined;
      return `/${placeholder ?? '<id>'}`;
    });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
