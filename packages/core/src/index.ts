/** What the action entry points import from the core: the runner and each action's definition. */
export { acceptAction } from './definitions/accept.js';
export { deployEnvAction } from './definitions/deploy-env.js';
export { prepareReleaseAction } from './definitions/prepare-release.js';
export { rollbackAction } from './definitions/rollback.js';
export { statusAction } from './definitions/status.js';
export { verifyAction } from './definitions/verify.js';
export { runAction } from './runtime/run-action.js';
