import { currentFreeze, freezeRefusal, type ActiveFreeze } from '../chain/freeze-windows.js';
import type { PromotionConfig } from '../chain/promotion-config.js';
import { refuse, type Refusal } from './decision.js';

/** What an action asks of a frozen environment: its name, and `force` with the reason (checked by the inputs). */
export interface FreezeGatedRequest {
  environment: string;
  force?: boolean | undefined;
  reason?: string | undefined;
}

/**
 * The freeze rule, checked before anything is read (pure): inside a freeze window of the environment at `now`,
 * `action` is refused unless `force`. Undefined when admitted.
 */
export function freezeAdmission(
  config: PromotionConfig,
  action: string,
  request: FreezeGatedRequest,
  now: Date,
): Refusal | undefined {
  const freeze = currentFreeze(config.freezeWindows.get(request.environment) ?? [], now);
  if (!freeze || request.force) return undefined;
  return refuse(freezeRefusal(request.environment, action, freeze));
}

/** A freeze window `force` overrode at `now`, with the warning to log; undefined outside every window. */
export function freezeOverride(
  config: PromotionConfig,
  request: FreezeGatedRequest,
  now: Date,
): { freeze: ActiveFreeze; warning: string } | undefined {
  const freeze = currentFreeze(config.freezeWindows.get(request.environment) ?? [], now);
  if (!freeze || !request.force) return undefined;
  return {
    freeze,
    warning: `Freeze overridden with force (${request.reason ?? ''}): '${request.environment}' is frozen (${freeze.description}).`,
  };
}
