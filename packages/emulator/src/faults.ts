/** Fault injection: rules that make chosen requests fail, stall or lose their connection. */
import { STATUS_CODES } from 'node:http';
import { githubErrorBody } from './errors.js';
import type { FaultRule } from './types.js';

/** What to do to one request, decided when it arrives. */
export interface FaultPlan {
  rule: FaultRule;
  /** A short description recorded in the request log. */
  description: string;
  delayMs: number;
  /** When to act: before handling the request, or after handling it (its state changes happen). */
  timing: 'before' | 'after' | 'delay-only';
  /** Drop the connection instead of answering. */
  drop: boolean;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface ActiveRule {
  rule: FaultRule;
  /** Requests this rule has matched so far. */
  seen: number;
}

/** The status a fault answers with when it has `afterHandling` but no `status`. */
const DEFAULT_AFTER_HANDLING_STATUS = 502;

/** The fault rules of one emulator; each rule counts the requests matching its route on its own. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  /** Adds a rule. */
  add(rule: FaultRule): void {
    if (rule.nth !== undefined && (!Number.isInteger(rule.nth) || rule.nth < 1)) {
      throw new Error(`FaultRule.nth must be a positive integer, got ${rule.nth}`);
    }
    this.rules.push({ rule, seen: 0 });
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** A deep copy of the rules and how many requests each has matched, for {@link restoreState}. */
  saveState(): Array<{ rule: FaultRule; seen: number }> {
    return structuredClone(this.rules);
  }

  /** Puts back the rules {@link saveState} copied, each with the count it had then. */
  restoreState(saved: Array<{ rule: FaultRule; seen: number }>): void {
    this.rules = structuredClone(saved);
  }

  /**
   * Counts a request against every rule matching its method and route (template or `UNMATCHED`), and returns the
   * plan of the first rule that fires for it.
   */
  plan(method: string, route: string): FaultPlan | undefined {
    let chosen: FaultRule | undefined;
    for (const active of this.rules) {
      if (!routeMatches(active.rule.route, method, route)) continue;
      active.seen += 1;
      const first = active.rule.nth ?? 1;
      const times = active.rule.times ?? 1;
      if (!chosen && active.seen >= first && active.seen < first + times) chosen = active.rule;
    }
    return chosen && toPlan(chosen);
  }
}

function routeMatches(pattern: string | undefined, method: string, route: string): boolean {
  if (pattern === undefined) return true;
  const trimmed = pattern.trim();
  const space = trimmed.indexOf(' ');
  if (space === -1) return trimmed === route;
  return trimmed.slice(0, space).toUpperCase() === method && trimmed.slice(space + 1).trim() === route;
}

function toPlan(rule: FaultRule): FaultPlan {
  const delayMs = rule.delayMs ?? 0;
  const drop = rule.drop === true;
  const answers = drop || rule.status !== undefined || rule.afterHandling === true;
  const status = rule.status ?? DEFAULT_AFTER_HANDLING_STATUS;
  const timing = !answers ? 'delay-only' : rule.afterHandling ? 'after' : 'before';
  const parts = [
    delayMs > 0 ? `delay ${delayMs}ms` : '',
    drop ? 'drop' : answers ? `status ${status}` : '',
    rule.afterHandling ? 'after handling' : '',
  ].filter(Boolean);
  return {
    rule,
    description: parts.join(', '),
    delayMs,
    timing,
    drop,
    status,
    body: rule.body ?? githubErrorBody(status, STATUS_CODES[status] ?? 'Error'),
    headers: rule.headers ?? {},
  };
}
