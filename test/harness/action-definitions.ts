import { acceptAction } from '../../packages/core/src/definitions/accept.js';
import { deployEnvAction } from '../../packages/core/src/definitions/deploy-env.js';
import { prepareReleaseAction } from '../../packages/core/src/definitions/prepare-release.js';
import { rollbackAction } from '../../packages/core/src/definitions/rollback.js';
import { statusAction } from '../../packages/core/src/definitions/status.js';
import { verifyAction } from '../../packages/core/src/definitions/verify.js';
import type { ActionDefinition } from '../../packages/core/src/runtime/action-definition.js';
import type { BaseRequest } from '../../packages/core/src/use-cases/use-case.js';
import type { ActionName } from './action-metadata.js';

/** Each action's definition, as its entry point runs it, for in-process runs (`runActionInProcess`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ACTION_DEFINITIONS: Record<ActionName, ActionDefinition<BaseRequest, any>> = {
  'prepare-release': prepareReleaseAction,
  'deploy-env': deployEnvAction,
  verify: verifyAction,
  accept: acceptAction,
  rollback: rollbackAction,
  status: statusAction,
};
