import { currentFreeze, freezeRefusal, type ActiveFreeze } from '../chain/freeze-windows.js';
import { UserError } from '../errors.js';
import type { UseCaseDependencies } from './use-case-dependencies.js';

/**
 * The freeze window `environment` is in when `action` runs (the dependencies' clock): refused unless `force`
 * (with its reason, checked by the inputs), and logged when overridden. Undefined outside every window.
 */
export function enforceFreeze(
  dependencies: UseCaseDependencies,
  action: string,
  request: { environment: string; force?: boolean | undefined; reason?: string | undefined },
): ActiveFreeze | undefined {
  const { config, logger } = dependencies;
  const freeze = currentFreeze(
    config.freezeWindows.get(request.environment) ?? [],
    dependencies.now?.() ?? new Date(),
  );
  if (!freeze) return undefined;
  if (!request.force) throw new UserError(freezeRefusal(request.environment, action, freeze));
  logger.warning(
    `Freeze overridden with force (${request.reason ?? ''}): '${request.environment}' is frozen (${freeze.description}).`,
  );
  return freeze;
}
