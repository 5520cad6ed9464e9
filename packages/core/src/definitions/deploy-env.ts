import { deployEnvironmentSummary } from '../report/deploy-env-summary.js';
import { readChoice, readGateOverride, readPositiveInteger } from '../runtime/action-inputs.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import {
  DEPLOY_STATUSES,
  deployCommandFailure,
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
    environmentUrl: input('environment-url') || undefined,
    ...readGateOverride(input),
    dryRun: common.dryRun,
  }),
  useCase: deployEnvironmentUseCase,
  report: (result) => ({
    outputs: { 'deployment-id': result.deployment.id, status: result.status },
    summary: deployEnvironmentSummary(result),
    // The outputs and summary are written first: they tell which deployment is marked failed.
    failure: deployCommandFailure(result),
  }),
};
