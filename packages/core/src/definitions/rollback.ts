import { rollbackSummary } from '../report/rollback-summary.js';
import type { ActionDefinition } from '../runtime/action-definition.js';
import { readRequired } from '../runtime/action-inputs.js';
import { rollbackUseCase, type RollbackRequest, type RollbackResult } from '../use-cases/rollback.js';

/** rollback: puts an environment back on its last good release and marks the bad one rolled back. */
export const rollbackAction: ActionDefinition<RollbackRequest, RollbackResult> = {
  name: 'rollback',
  environmentRequired: true,
  parse: (input, common) => ({
    environment: common.environment,
    to: input('to') || undefined,
    reason: readRequired(
      input,
      'reason',
      'Say why the environment is rolled back; it is recorded on the deployments.',
    ),
    run: input('run') || undefined,
    dryRun: common.dryRun,
  }),
  useCase: rollbackUseCase,
  report: (result) => ({
    outputs: {
      sha: result.target.sha,
      version: result.target.version ?? undefined,
      'deployment-id': result.deploymentId,
      'rolled-back-sha': result.rolledBack.sha,
    },
    summary: rollbackSummary(result),
    // The summary says what happened; the step still fails, since the environment was not rolled back.
    failure:
      result.command && result.command.exitCode !== 0
        ? `The redeploy command exited with ${result.command.exitCode ?? 'no exit code (killed)'}; ${result.environment} was not rolled back.`
        : undefined,
  }),
};
