/** GitHub's `per_page`/`page` pagination and its `Link` header. */

/** Defaults of a paginated route. */
export interface PageLimits {
  /** Default `per_page`. GitHub uses 30. */
  defaultPerPage?: number;
  /** Largest `per_page` honoured. GitHub uses 100. */
  maxPerPage?: number;
}

/** The page a request asks for. */
export interface PageRequest {
  page: number;
  perPage: number;
}

/** One page of a list and the `Link` header describing its neighbours. */
export interface Page<T> {
  items: T[];
  /** Absent when everything fits on one page. */
  link?: string;
}

/** Reads `page` and `per_page` like GitHub: invalid values fall back to defaults, `per_page` is capped. */
export function readPageRequest(query: Record<string, string>, limits: PageLimits = {}): PageRequest {
  const defaultPerPage = limits.defaultPerPage ?? 30;
  const maxPerPage = limits.maxPerPage ?? 100;
  const perPage = positiveInteger(query.per_page) ?? defaultPerPage;
  return { page: positiveInteger(query.page) ?? 1, perPage: Math.min(perPage, maxPerPage) };
}

/** Slices a whole list into the requested page. */
export function paginate<T>(
  items: T[],
  url: URL,
  query: Record<string, string>,
  limits?: PageLimits,
): Page<T> {
  const { page, perPage } = readPageRequest(query, limits);
  const start = (page - 1) * perPage;
  const link = linkHeader(url, page, Math.max(1, Math.ceil(items.length / perPage)));
  const slice = items.slice(start, start + perPage);
  return link ? { items: slice, link } : { items: slice };
}

/**
 * GitHub's `Link` header: `<url?page=1>; rel="prev", <url?page=3>; rel="next", <url?page=9>; rel="last",
 * <url?page=1>; rel="first"` — `prev`/`first` from page 2 on, `next`/`last` before the last page.
 */
export function linkHeader(url: URL, page: number, lastPage: number): string | undefined {
  if (lastPage <= 1 && page <= 1) return undefined;
  const at = (target: number) => {
    const pageUrl = new URL(url);
    pageUrl.searchParams.set('page', String(target));
    return pageUrl.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(Math.min(page - 1, lastPage))}>; rel="prev"`);
  if (page < lastPage) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

function positiveInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 ? number : undefined;
}
