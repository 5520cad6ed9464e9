import {
  acceptAction,
  deployEnvAction,
  prepareReleaseAction,
  rollbackAction,
  statusAction,
  verifyAction,
  type ActionDefinition,
  type BaseRequest,
} from '@release-promotion/core';
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
