import { deployEnvironmentSummary } from '../report/deploy-env-summary.js';
import { readChoice, readGateOverride, readPositiveInteger } from '../runtime/action-inputs.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import {
  DEPLOY_STATUSES,
  deployFailure,
  deployEnvironmentUseCase,
  type DeployEnvironmentRequest,
  type DeployEnvironmentResult,
} from '../use-cases/deploy-env.js';

/** deploy-env: records a deployment's progress, or runs the deploy command and records its outcome. */
export const deployEnvAction: ActionDefinition<DeployEnvironmentRequest, DeployEnvironmentResult> = {
  name: 'deploy-env',
  environmentRequired: true,
  parse: (input, common) => ({
    environment: common.environment,
    deploymentId: readPositiveInteger(input, 'deployment-id'),
    status: readChoice(input, 'status', DEPLOY_STATUSES),
    run: input('run') || undefined,
    rollbackRun: input('rollback-run') || undefined,
    environmentUrl: input('environment-url') || undefined,
    ...readGateOverride(input),
    dryRun: common.dryRun,
  }),
  useCase: deployEnvironmentUseCase,
  report: (result) => ({
    outputs: {
      'deployment-id': result.deployment.id,
      status: result.status,
      'steps-completed': stepsCompleted(result),
      'rolled-back': String(result.rollout?.rolledBack ?? false),
    },
    summary: deployEnvironmentSummary(result),
    // The outputs and summary are written first: they tell which deployment is marked failed.
    failure: deployFailure(result),
  }),
};

/** How many steps completed: the rollout's, or 1 for a deployment all at once that succeeded. */
function stepsCompleted(result: DeployEnvironmentResult): number {
  if (result.rollout) return result.rollout.completed;
  return result.status === 'success' && !result.dryRun ? 1 : 0;
}
