/** Every probe, in the order the probe script runs them. */
import {
  autoInactiveProductionProbe,
  environmentCaseProbe,
  statusOrderProbe,
  workflowDeploymentTaskProbe,
} from './deployment-probes.js';
import type { Probe } from './probe.js';
import { createExistingRefProbe, updateRefsProbe, workflowsPermissionProbe } from './ref-probes.js';

export const ALL_PROBES: Probe[] = [
  updateRefsProbe,
  createExistingRefProbe,
  workflowsPermissionProbe,
  statusOrderProbe,
  environmentCaseProbe,
  autoInactiveProductionProbe,
  workflowDeploymentTaskProbe,
];
