import { acceptSummary } from '../report/accept-summary.js';
import { readChoice, readGateOverride, readPositiveInteger } from '../runtime/action-inputs.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import {
  acceptUseCase,
  APPROVAL_SOURCES,
  type AcceptRequest,
  type AcceptResult,
} from '../use-cases/accept.js';

/** accept: moves the environment tag to an approved, verified release and records who approved it. */
export const acceptAction: ActionDefinition<AcceptRequest, AcceptResult> = {
  name: 'accept',
  environmentRequired: true,
  parse: (input, common) => ({
    environment: common.environment,
    deploymentId: readPositiveInteger(input, 'deployment-id'),
    approval: readChoice(input, 'approval', APPROVAL_SOURCES) ?? 'run',
    ...readGateOverride(input),
    dryRun: common.dryRun,
  }),
  useCase: acceptUseCase,
  report: (result) => ({
    outputs: {
      sha: result.sha,
      version: result.version,
      'next-environment': result.nextEnvironment,
      'approved-by': result.approvals.map((approval) => approval.user).join(','),
    },
    summary: acceptSummary(result),
  }),
};
