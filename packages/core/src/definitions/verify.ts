import { parseChecksInput, urlCheck } from '../checks/parse-check-specs.js';
import { parseVerificationOptions } from '../checks/verification-options.js';
import { verificationSummary } from '../report/verification-summary.js';
import { readPositiveInteger } from '../runtime/action-inputs.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import { verifyUseCase, type VerifyRequest, type VerifyResult } from '../use-cases/verify.js';

/**
 * verify: checks a deployment (HTTP, commands and Prometheus queries, with retries and bake time) and records the
 * outcome.
 */
export const verifyAction: ActionDefinition<VerifyRequest, VerifyResult> = {
  name: 'verify',
  environmentRequired: true,
  parse: (input, common) => {
    // In the order the inputs were always validated: the checks, then the deployment, then the options.
    const url = input('url');
    const checks = [...(url ? [urlCheck(url, "input 'url'")] : []), ...parseChecksInput(input('checks'))];
    return {
      environment: common.environment,
      checks,
      deploymentId: readPositiveInteger(input, 'deployment-id'),
      options: parseVerificationOptions(input),
      dryRun: common.dryRun,
    };
  },
  useCase: verifyUseCase,
  report: (result) => ({
    outputs: { result: result.report.result, report: JSON.stringify(result.report) },
    summary: verificationSummary(result.report, {
      environment: result.environment,
      deploymentId: result.deployment.id,
    }),
    failure:
      result.report.result === 'failed'
        ? `Verification of deployment ${result.deployment.id} in ${result.environment} failed; accept will refuse it.`
        : undefined,
  }),
};
