/** The log of every request the emulator received, in arrival order, with per-route counts. */
import type { RecordedRequest } from './types.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Requests in arrival order. Entries are appended when a request arrives and completed when it is answered. */
export class RequestLog {
  /** The recorded requests (the array is kept, so references handed out stay live). */
  readonly entries: RecordedRequest[] = [];

  /** Starts recording a request and returns its (mutable) entry. */
  begin(entry: Pick<RecordedRequest, 'method' | 'path' | 'query'>): RecordedRequest {
    const recorded: RecordedRequest = { ...entry, route: 'UNMATCHED', status: 0, problems: [] };
    this.entries.push(recorded);
    return recorded;
  }

  /** Counts per `METHOD template` (`POST /repos/{owner}/{repo}/deployments`, `GET UNMATCHED`). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) {
      const key = routeKey(entry.method, entry.route);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /** Requests that may change state: every method but GET and HEAD, except GraphQL queries. */
  writes(): RecordedRequest[] {
    return this.entries.filter((entry) => {
      if (READ_METHODS.has(entry.method)) return false;
      if (entry.graphqlOperation !== undefined) return entry.graphqlOperation.startsWith('mutation');
      return true;
    });
  }

  /** A deep copy of the entries, for {@link restoreState}. */
  saveState(): RecordedRequest[] {
    return structuredClone(this.entries);
  }

  /** Puts back the entries {@link saveState} copied, in the same (live) array. */
  restoreState(saved: RecordedRequest[]): void {
    this.entries.length = 0;
    for (const entry of structuredClone(saved)) this.entries.push(entry);
  }

  /** Forgets every recorded request. */
  clear(): void {
    this.entries.length = 0;
  }
}

/** The key of a route in counts and fault rules: `METHOD template`. */
export function routeKey(method: string, route: string): string {
  return `${method} ${route}`;
}
