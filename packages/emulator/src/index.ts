/** A local GitHub REST API emulator for testing GitHub Actions against real git state. */
export { startEmulator } from './emulator.js';
export type { Emulator, EmulatorCheckpoint, EmulatorCommitOptions, EmulatorGit } from './emulator.js';
export type {
  EmulatorOptions,
  DeploymentState,
  FaultRule,
  RecordedRequest,
  ValidationProblem,
} from './types.js';
export type { Seeder, SeedApproval, SeedDeploymentOptions } from './seed.js';
export type {
  ApprovalRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  MakeLatest,
  ReleaseRecord,
  StoreView,
} from './store.js';
export {
  GENERIC_DOCUMENTATION_URL,
  githubErrorBody,
  resourceNotAccessibleBody,
  secondaryRateLimitBody,
  type GitHubErrorBody,
  type ValidationErrorItem,
} from './errors.js';
export { AUTHENTICATED_LOGIN, ACTIONS_BOT_EMAIL, type SimpleUser } from './users.js';
export { OpenApiValidator, type ValidatorStartupCost } from './openapi-validator.js';
