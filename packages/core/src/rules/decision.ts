/**
 * What a use-case's decision is: a refusal (what was wrong and how to fix it), or a plan with the warnings to log.
 * The rules answer with data like this rather than throwing, so a table test reads each answer as a value.
 */

/** Why a rule refuses the request: what was wrong and how to fix it (reported as a user error, exit code 1). */
export interface Refusal {
  refused: string;
  /** A short hint printed after the message, e.g. the YAML to add. */
  hint?: string | undefined;
}

/** A request the rules allow: what to write, and the warnings to log (e.g. an override with `force`). */
export interface Decided<Plan> {
  plan: Plan;
  warnings: string[];
}

/** A refusal saying `message` (and `hint`). */
export function refuse(message: string, hint?: string): Refusal {
  return hint === undefined ? { refused: message } : { refused: message, hint };
}

/** An allowed request's plan, with its warnings. */
export function decided<Plan>(plan: Plan, warnings: string[] = []): Decided<Plan> {
  return { plan, warnings };
}

/** Whether `decision` is a refusal. */
export function isRefusal(decision: unknown): decision is Refusal {
  return typeof decision === 'object' && decision !== null && 'refused' in decision;
}
