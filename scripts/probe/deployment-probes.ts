/**
 * The probes of deployments: the order of statuses, case in environment names, `auto_inactive` with
 * `production_environment`, and the `task` of the deployments workflow jobs create.
 */
import type { ExchangeSpec, ProbeSession } from './fixture.js';
import type { GraphqlRequest } from './http.js';
import type { Probe } from './probe.js';
import { PROBE_PAYLOAD_KEY } from './sandbox.js';

const HEAD = '<commit:head>';
const PAYLOAD = { [PROBE_PAYLOAD_KEY]: 'scripts/probe-github.ts' };
const DEPLOYMENT_FIELDS = [
  'status',
  'body.environment',
  'body.original_environment',
  'body.task',
  'body.production_environment',
  'body.transient_environment',
];

/** `POST /deployments` of the head to `environment`, its id captured as `placeholder` and removed afterwards. */
async function createDeployment(
  session: ProbeSession,
  environment: string,
  placeholder: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const body: Record<string, unknown> = {
    ref: HEAD,
    environment,
    task: 'probe',
    payload: PAYLOAD,
    description: 'Created by scripts/probe-github.ts',
    auto_merge: false,
    required_contexts: [],
    ...extra,
  };
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete body[key];
  await session.exchange({
    step: `create a deployment of the head in ${environment}${describe(extra)}`,
    request: {
      method: 'POST',
      path: '/repos/{owner}/{repo}/deployments',
      body,
    },
    compare: DEPLOYMENT_FIELDS,
    capture: { [placeholder]: 'body.id' },
  });
  session.created.deploymentIds.add(Number(session.normalizer.valueOf(placeholder)));
}

function describe(extra: Record<string, unknown>): string {
  const entries = Object.entries(extra);
  if (entries.length === 0) return '';
  const parts = entries.map(([key, value]) =>
    value === undefined ? `no ${key}` : `${key}: ${String(value)}`,
  );
  return ` (${parts.join(', ')})`;
}

function createStatus(deployment: string, state: string, description: string): ExchangeSpec {
  return {
    step: `record ${state} on ${deployment}`,
    request: {
      method: 'POST',
      path: `/repos/{owner}/{repo}/deployments/${deployment}/statuses`,
      body: { state, description },
    },
    compare: ['status', 'body.state', 'body.description', 'body.environment'],
  };
}

function listStatuses(deployment: string, query = ''): ExchangeSpec {
  return {
    step: `list the statuses of ${deployment} (REST${query ? `, ${query}` : ''})`,
    request: {
      method: 'GET',
      path: `/repos/{owner}/{repo}/deployments/${deployment}/statuses${query ? `?${query}` : ''}`,
    },
    compare: ['status', 'body[*].state', 'body[*].description'],
  };
}

function listDeployments(environment: string): ExchangeSpec {
  return {
    step: `list the deployments with environment=${environment} (REST)`,
    request: { method: 'GET', path: `/repos/{owner}/{repo}/deployments?environment=${environment}` },
    compare: ['status', 'body[*].id', 'body[*].environment'],
  };
}

function graphqlDeployments(environments: string[], nodeFields: string): GraphqlRequest {
  return {
    graphql: `query ProbeDeployments($owner: String!, $name: String!, $environments: [String!]) {
  repository(owner: $owner, name: $name) {
    deployments(environments: $environments, first: 20) {
      nodes {
        ${nodeFields}
      }
    }
  }
}`,
    variables: { owner: '{owner}', name: '{repo}', environments },
  };
}

/** The descriptions of a list of statuses, in the order given. */
function descriptions(list: unknown): string[] {
  return Array.isArray(list) ? list.map((status: { description?: string }) => status.description ?? '') : [];
}

/** `newest first`, `oldest first` or the order seen, for statuses described `probe status 1..n`. */
function orderOf(list: unknown): string {
  const seen = descriptions(list).join(', ');
  if (seen === 'probe status 3, probe status 2, probe status 1') return 'newest first';
  if (seen === 'probe status 1, probe status 2, probe status 3') return 'oldest first';
  return seen;
}

const ORDER_FIELDS = `databaseId
        latestStatus { state description }
        firstOne: statuses(first: 1) { nodes { state description } }
        lastOne: statuses(last: 1) { nodes { state description } }
        firstTen: statuses(first: 10) { nodes { state description } }
        lastTen: statuses(last: 10) { nodes { state description } }`;

/** The order of a deployment's statuses in REST and GraphQL. */
export const statusOrderProbe: Probe = {
  name: 'deployment-status-order',
  question:
    'The order of deployment statuses in REST (GET .../deployments/{id}/statuses) and in GraphQL ' +
    '(Deployment.statuses with first and last), against latestStatus.',
  roles: [HEAD],
  async run(session: ProbeSession) {
    const deployment = '<deployment:order>';
    await createDeployment(session, 'probe-order', deployment);
    const states = ['queued', 'in_progress', 'success'];
    for (const [index, state] of states.entries()) {
      if (index > 0) await session.pause();
      await session.exchange(createStatus(deployment, state, `probe status ${index + 1}`));
    }
    const rest = await session.exchange(listStatuses(deployment));
    const firstPage = await session.exchange(listStatuses(deployment, 'per_page=1'));
    const graphql = await session.exchange({
      step: 'read the statuses with first and last, and latestStatus (GraphQL)',
      request: graphqlDeployments(['probe-order'], ORDER_FIELDS),
      compare: [
        'status',
        'body.data.repository.deployments.nodes[*].databaseId',
        'body.data.repository.deployments.nodes[*].latestStatus',
        'body.data.repository.deployments.nodes[*].firstOne.nodes',
        'body.data.repository.deployments.nodes[*].lastOne.nodes',
        'body.data.repository.deployments.nodes[*].firstTen.nodes',
        'body.data.repository.deployments.nodes[*].lastTen.nodes',
      ],
    });
    type Node = Record<string, { nodes?: unknown } | { description?: string } | undefined>;
    const node = (graphql.body as { data?: { repository?: { deployments?: { nodes?: Node[] } } } }).data
      ?.repository?.deployments?.nodes?.[0];
    const latest = (node?.latestStatus as { description?: string } | undefined)?.description;
    const one = (alias: string) => descriptions((node?.[alias] as { nodes?: unknown } | undefined)?.nodes)[0];
    return {
      rest: orderOf(rest.body),
      restFirstPageOfOne: descriptions(firstPage.body),
      graphqlFirstTen: orderOf((node?.firstTen as { nodes?: unknown } | undefined)?.nodes),
      graphqlLatestStatus: latest ?? null,
      latestStatusIsFirstOne: latest !== undefined && latest === one('firstOne'),
      latestStatusIsLastOne: latest !== undefined && latest === one('lastOne'),
    };
  },
};

/** Whether environment filters ignore case, and which spelling a deployment in another case gets. */
export const environmentCaseProbe: Probe = {
  name: 'environment-case',
  question:
    'Do the environment filters ignore case (REST GET /deployments?environment=, GraphQL ' +
    'Repository.deployments(environments:)), and what environment does a deployment created with another case ' +
    'than an existing environment report?',
  roles: [HEAD],
  async run(session: ProbeSession) {
    await createDeployment(session, 'probe-case', '<deployment:lower>');
    const upper = await session.exchange(listDeployments('PROBE-CASE'));
    await session.exchange(listDeployments('probe-case'));
    const nodeFields = 'databaseId environment originalEnvironment latestEnvironment';
    const graphqlUpper = await session.exchange({
      step: 'list the deployments of environments ["PROBE-CASE"] (GraphQL)',
      request: graphqlDeployments(['PROBE-CASE'], nodeFields),
      compare: ['status', 'body.data.repository.deployments.nodes'],
    });
    await createDeployment(session, 'Probe-Case', '<deployment:mixed>');
    const lower = await session.exchange(listDeployments('probe-case'));
    const mixed = await session.exchange({
      step: 'read the deployment created as Probe-Case',
      request: { method: 'GET', path: '/repos/{owner}/{repo}/deployments/<deployment:mixed>' },
      compare: ['status', 'body.environment', 'body.original_environment'],
    });
    const environment = await session.exchange({
      step: 'read the environment as PROBE-CASE',
      request: { method: 'GET', path: '/repos/{owner}/{repo}/environments/PROBE-CASE' },
      compare: ['status', 'body.name'],
    });
    await session.exchange({
      step: 'list the deployments of environments ["probe-case"] (GraphQL)',
      request: graphqlDeployments(['probe-case'], nodeFields),
      compare: ['status', 'body.data.repository.deployments.nodes'],
    });
    const ids = (answer: { body: unknown }) =>
      Array.isArray(answer.body)
        ? answer.body.map((item: { id: number }) => session.normalizer.nameOf(item.id))
        : [];
    const graphqlNodes = (
      graphqlUpper.body as { data?: { repository?: { deployments?: { nodes?: unknown[] } } } }
    ).data?.repository?.deployments?.nodes;
    const mixedBody = mixed.body as { environment?: string; original_environment?: string };
    return {
      restFilterUpperCase: ids(upper),
      graphqlFilterUpperCase: graphqlNodes?.length ?? null,
      restFilterLowerCaseAfterMixed: ids(lower),
      mixedCaseDeployment: {
        environment: mixedBody.environment,
        originalEnvironment: mixedBody.original_environment,
      },
      environmentReadAsUpperCase: {
        status: environment.status,
        name: (environment.body as { name?: string } | null)?.name ?? null,
      },
    };
  },
};

/** `auto_inactive` on a success status, for production and non-production environments. */
export const autoInactiveProductionProbe: Probe = {
  name: 'auto-inactive-production',
  question:
    'auto_inactive (the default of a success status): does an older deployment of an environment created with ' +
    'production_environment: true stay success, while one of a non-production environment becomes inactive?',
  roles: [HEAD],
  async run(session: ProbeSession) {
    const pairs = [
      { environment: 'probe-production', production: true, older: '<deployment:production-older>' },
      { environment: 'probe-staging', production: false, older: '<deployment:staging-older>' },
    ];
    for (const { environment, production, older } of pairs) {
      const newer = older.replace('-older>', '-newer>');
      const extra = { production_environment: production };
      await createDeployment(session, environment, older, extra);
      await session.exchange(createStatus(older, 'success', 'probe: the older release'));
      await createDeployment(session, environment, newer, extra);
      await session.exchange(createStatus(newer, 'success', 'probe: the newer release'));
    }
    const graphql = await session.exchange({
      step: 'read the state and latest status of the four deployments (GraphQL)',
      request: graphqlDeployments(
        pairs.map((pair) => pair.environment),
        'databaseId environment state latestStatus { state }',
      ),
      compare: ['status', 'body.data.repository.deployments.nodes'],
    });
    const production = await session.exchange(listStatuses('<deployment:production-older>'));
    const staging = await session.exchange(listStatuses('<deployment:staging-older>'));
    const states = (body: unknown) =>
      Array.isArray(body) ? body.map((status: { state?: string }) => status.state) : [];
    type Node = { databaseId: number; state: string };
    const nodes =
      (graphql.body as { data?: { repository?: { deployments?: { nodes?: Node[] } } } }).data?.repository
        ?.deployments?.nodes ?? [];
    const stateOf = (placeholder: string) =>
      nodes.find((node) => node.databaseId === session.normalizer.valueOf(placeholder))?.state ?? null;
    return {
      productionOlder: { state: stateOf('<deployment:production-older>'), statuses: states(production.body) },
      stagingOlder: { state: stateOf('<deployment:staging-older>'), statuses: states(staging.body) },
    };
  },
};

/** Whether a payload is empty, as GitHub stores a deployment created without one. */
function isEmptyPayload(payload: unknown): boolean {
  if (payload === null || payload === undefined || payload === '') return true;
  return typeof payload === 'object' && Object.keys(payload).length === 0;
}

interface DeploymentJson {
  task?: string;
  environment?: string;
  original_environment?: string;
  payload?: unknown;
  created_at?: string;
  creator?: { login?: string } | null;
}

/** The `task` of the deployments GitHub creates for workflow jobs with `environment:`. */
export const workflowDeploymentTaskProbe: Probe = {
  name: 'workflow-deployment-task',
  question:
    'What task do the deployments GitHub creates for workflow jobs with environment: (and no deployment: false) ' +
    'carry, and what task does a deployment created through REST without one get? Only deployments already ' +
    'in the repository can be read: a workflow run with such a job must have happened first (the e2e workflow ' +
    'has one).',
  roles: [HEAD],
  async run(session: ProbeSession) {
    const listed = await session.observe(
      {
        step: 'list the newest 100 deployments; keep those by github-actions with an empty payload',
        request: { method: 'GET', path: '/repos/{owner}/{repo}/deployments?per_page=100' },
        compare: [],
        note: 'body: task, environment, original_environment, payload and created_at of at most 20 of them',
      },
      (body) => workflowDeployments(body).slice(0, 20),
    );
    await createDeployment(session, 'probe-task', '<deployment:no-task>', { task: undefined });
    const created = session.exchanges.at(-1);
    const found = workflowDeployments(listed.body);
    return {
      workflowDeployments: found.length,
      workflowDeploymentTasks: [...new Set(found.map((deployment) => deployment.task))],
      taskOfRestDeploymentWithoutTask: (created?.answer.body as { task?: string } | undefined)?.task ?? null,
      ...(found.length === 0
        ? {
            note: 'No deployment by github-actions with an empty payload: run a workflow job with environment: first.',
          }
        : {}),
    };
  },
};

function workflowDeployments(body: unknown): DeploymentJson[] {
  if (!Array.isArray(body)) return [];
  return (body as DeploymentJson[])
    .filter(
      (deployment) =>
        deployment.creator?.login === 'github-actions[bot]' && isEmptyPayload(deployment.payload),
    )
    .map(({ task, environment, original_environment, payload, created_at }) => ({
      task,
      environment,
      original_environment,
      payload,
      created_at,
    }));
}
