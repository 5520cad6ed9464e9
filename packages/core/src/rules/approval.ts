import type { EnvironmentConfig } from '../chain/environment-chain.js';
import type { RunApproval } from '../state/run-approvals.js';

/** Why the approvals recorded do not meet the environment's `approval` rules, or undefined when they do. */
export function approvalRefusal(
  environment: string,
  settings: Pick<EnvironmentConfig, 'approval' | 'preventSelfApproval'>,
  approvals: readonly RunApproval[],
  preparer: string,
  runId: number,
): string | undefined {
  if (settings.approval === 'required' && approvals.length === 0) {
    return (
      `'${environment}' requires an approval (approval: required), and none is recorded for it in run ` +
      `${runId}. Run accept in a job with 'environment: ${environment}' whose environment has ` +
      `required reviewers, and keep 'approval: run'.`
    );
  }
  if (settings.preventSelfApproval && approvals.length > 0 && approvals.every((a) => a.user === preparer)) {
    return (
      `'${environment}' forbids self-approval (prevent-self-approval), and the only approval is by ` +
      `${preparer}, who prepared this release. Another required reviewer must approve the run.`
    );
  }
  return undefined;
}
