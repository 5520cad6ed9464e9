/**
 * HTML built from a tagged template that escapes by default: in markup`<td>${value}</td>` every interpolated
 * value is escaped with {@link htmlText}, except a {@link Markup} that a template built before. Only this
 * module makes a `Markup`, so a page built this way holds no untrusted text unescaped, and no caller has to
 * remember to escape.
 *
 * The tag is not named `html` on purpose: Prettier reformats templates tagged `html`, which would change the
 * whitespace of the pages written.
 */
import { htmlText } from './escape.js';

declare const markupBrand: unique symbol;

/** HTML built by {@link markup} or {@link joinMarkup}; the template interpolates it as it is. */
export interface Markup {
  readonly [markupBrand]: true;
  /** The HTML. */
  toString(): string;
}

/**
 * What a {@link markup} template interpolates: a {@link Markup} as it is, a string or a number escaped,
 * nothing for `null`, `undefined` and `false` (so `${condition && markup`...`}` works), and the items of an
 * array one after another. Interpolate into an attribute only inside quotes: `title="${value}"`.
 */
export type MarkupValue = Markup | string | number | null | undefined | false | readonly MarkupValue[];

class BuiltMarkup {
  constructor(readonly html: string) {}

  toString(): string {
    return this.html;
  }
}

function built(html: string): Markup {
  return new BuiltMarkup(html) as unknown as Markup;
}

function rendered(value: MarkupValue): string {
  if (value instanceof BuiltMarkup) return value.html;
  if (Array.isArray(value)) return (value as readonly MarkupValue[]).map(rendered).join('');
  if (value === null || value === undefined || value === false) return '';
  return htmlText(String(value));
}

/** The template tag: the literal parts are HTML as written, every interpolated value is escaped. */
export function markup(strings: TemplateStringsArray, ...values: MarkupValue[]): Markup {
  let html = strings[0] ?? '';
  values.forEach((value, index) => {
    html += rendered(value) + (strings[index + 1] ?? '');
  });
  return built(html);
}

/**
 * The parts one after another with `separator` (escaped) between them; `null`, `undefined` and `false` parts
 * are left out, with no separator for them.
 */
export function joinMarkup(parts: readonly MarkupValue[], separator: string): Markup {
  const present = parts.filter((part) => part !== null && part !== undefined && part !== false);
  return built(present.map(rendered).join(htmlText(separator)));
}
