/** Every route the emulator serves. */
import { graphqlRoutes } from '../graphql.js';
import type { EmulatorRoute } from '../route-handler.js';
import { approvalRoutes } from './approvals.js';
import { commitRoutes } from './commits.js';
import { compareRoutes } from './compare.js';
import { contentRoutes } from './contents.js';
import { deploymentStatusRoutes } from './deployment-statuses.js';
import { deploymentRoutes } from './deployments.js';
import { environmentRoutes } from './environments.js';
import { gitRefRoutes } from './git-refs.js';
import { gitTagRoutes } from './git-tags.js';
import { releaseRoutes } from './releases.js';
import { repositoryRoutes } from './repository.js';

/** REST routes: their templates are paths of GitHub's OpenAPI description. */
export const restRoutes: EmulatorRoute[] = [
  ...repositoryRoutes,
  ...deploymentRoutes,
  ...deploymentStatusRoutes,
  ...gitRefRoutes,
  ...gitTagRoutes,
  ...commitRoutes,
  ...compareRoutes,
  ...releaseRoutes,
  ...contentRoutes,
  ...environmentRoutes,
  ...approvalRoutes,
];

/** Every route: REST and GraphQL. */
export const allRoutes: EmulatorRoute[] = [...restRoutes, ...graphqlRoutes];
