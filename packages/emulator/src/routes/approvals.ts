/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`, served from seeded approvals. */
import { json, type EmulatorRoute, type EmulatorState, type HandlerRequest } from '../route-handler.js';
import { environmentSummaryJson } from './environments.js';

/** The routes of this module. */
export const approvalRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
    handler: listApprovals,
  },
];

/** Lists the reviews of a run (an empty list for a run nothing was seeded for). */
function listApprovals(request: HandlerRequest, state: EmulatorState) {
  const runId = Number(request.parameters.run_id);
  const approvals = state.store.approvals
    .filter((approval) => approval.runId === runId)
    .map((approval) => ({
      environments: approval.environments.map((name) =>
        environmentSummaryJson(state, state.store.ensureEnvironment(name)),
      ),
      state: approval.state,
      user: state.users.simpleUser(approval.user),
      comment: approval.comment,
    }));
  return json(200, approvals);
}
