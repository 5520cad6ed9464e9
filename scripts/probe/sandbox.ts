/**
 * The sandbox the probe works in: the refusal to touch a repository that is not one, the commits of its history
 * the probes need (their roles), and the removal of what the probe created.
 *
 * The probe owns the tags under `refs/tags/probe/` and the deployments whose payload carries
 * {@link PROBE_PAYLOAD_KEY}, in the environments of {@link PROBE_ENVIRONMENTS}. It runs only on a repository
 * whose tags are all its own or the e2e workflow's (`refs/tags/e2e/`, see `.github/workflows/e2e.yml`).
 */
import { getAll, send, sendExpecting, type Endpoint } from './http.js';
import type { CreatedResources } from './fixture.js';

/** The probe's own tags: `refs/tags/probe/...`. */
export const PROBE_TAG_PREFIX = 'refs/tags/probe/';
/** Tags of the e2e workflow in the same sandbox (its environment and version tags). */
export const E2E_TAG_PREFIX = 'refs/tags/e2e/';
/** The payload key marking the probe's deployments. */
export const PROBE_PAYLOAD_KEY = 'probe-github';
/** The environments the probe deploys to (every spelling it uses). */
export const PROBE_ENVIRONMENTS = [
  'probe-order',
  'probe-case',
  'Probe-Case',
  'PROBE-CASE',
  'probe-production',
  'probe-staging',
  'probe-task',
];

/** The commits the probes use, by placeholder, and what each stands for. */
export const ROLE_DESCRIPTIONS: Record<string, string> = {
  '<commit:head>': 'the head of the default branch',
  '<commit:older>': "an ancestor of the head whose .github/workflows is the same as the head's",
  '<commit:workflows-differ>':
    'an ancestor of the head whose .github/workflows differs from that of every branch head',
};

const WORKFLOWS_DIRECTORY = '.github/workflows';

interface RefJson {
  ref: string;
  object: { sha: string };
}

/** Throws unless every tag of the repository is the probe's or the e2e workflow's. */
export async function refuseForeignTags(endpoint: Endpoint, owner: string, repo: string): Promise<void> {
  const tags = (await getAll(endpoint, `/repos/${owner}/${repo}/git/matching-refs/tags/`)) as RefJson[];
  const foreign = tags
    .map((tag) => tag.ref)
    .filter((name) => !name.startsWith(PROBE_TAG_PREFIX) && !name.startsWith(E2E_TAG_PREFIX));
  if (foreign.length > 0) {
    throw new Error(
      `${owner}/${repo} has tags the probe did not create (${foreign.slice(0, 5).join(', ')}` +
        `${foreign.length > 5 ? `, and ${foreign.length - 5} more` : ''}). Run it on a sandbox repository ` +
        `whose tags are all under ${PROBE_TAG_PREFIX} or ${E2E_TAG_PREFIX}.`,
    );
  }
}

/** Finds the commits of {@link ROLE_DESCRIPTIONS} in the default branch's newest 100 commits. */
export async function discoverRoles(
  endpoint: Endpoint,
  owner: string,
  repo: string,
  defaultBranch: string,
): Promise<Record<string, string>> {
  const branch = encodeURIComponent(defaultBranch);
  const commits = (
    (
      await sendExpecting(
        endpoint,
        { method: 'GET', path: `/repos/${owner}/${repo}/commits?sha=${branch}&per_page=100` },
        [200],
      )
    ).body as Array<{ sha: string }>
  ).map((commit) => commit.sha);
  const heads = (
    (await getAll(endpoint, `/repos/${owner}/${repo}/git/matching-refs/heads/`)) as RefJson[]
  ).map((ref) => ref.object.sha);
  const head = commits[0];
  if (head === undefined) throw new Error(`${owner}/${repo} has no commit on ${defaultBranch}`);
  const trees = await workflowTrees(endpoint, owner, repo, [...new Set([...commits, ...heads])]);
  const headTrees = new Set(heads.map((sha) => trees.get(sha)));
  const older = commits.slice(1).find((sha) => trees.get(sha) === trees.get(head));
  const differ = commits.slice(1).find((sha) => !headTrees.has(trees.get(sha)));
  return {
    '<commit:head>': head,
    ...(older === undefined ? {} : { '<commit:older>': older }),
    ...(differ === undefined ? {} : { '<commit:workflows-differ>': differ }),
  };
}

/** The object id of `.github/workflows` at each commit ('' without one), in one GraphQL query. */
async function workflowTrees(endpoint: Endpoint, owner: string, repo: string, shas: string[]) {
  const fields = shas.map(
    (sha, index) => `c${index}: object(expression: "${sha}:${WORKFLOWS_DIRECTORY}") { oid }`,
  );
  const query = `query ProbeWorkflowTrees($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    ${fields.join('\n    ')}
  }
}`;
  const answer = await sendExpecting(endpoint, { graphql: query, variables: { owner, name: repo } }, [200]);
  const repository = (answer.body as { data: { repository: Record<string, { oid: string } | null> } }).data
    .repository;
  return new Map(shas.map((sha, index) => [sha, repository[`c${index}`]?.oid ?? '']));
}

/** Removes the probe's tags and deployments left by an earlier run that stopped before cleaning up. */
export async function removeLeftovers(endpoint: Endpoint, owner: string, repo: string): Promise<number> {
  const tags = (await getAll(endpoint, `/repos/${owner}/${repo}/git/matching-refs/tags/probe/`)) as RefJson[];
  const leftovers: CreatedResources = { tags: new Set(tags.map((tag) => tag.ref)), deploymentIds: new Set() };
  for (const environment of PROBE_ENVIRONMENTS) {
    const path = `/repos/${owner}/${repo}/deployments?environment=${encodeURIComponent(environment)}&per_page=100`;
    const deployments = (await getAll(endpoint, path)) as Array<{ id: number; payload: unknown }>;
    for (const deployment of deployments) {
      const payload = deployment.payload;
      if (payload !== null && typeof payload === 'object' && PROBE_PAYLOAD_KEY in payload) {
        leftovers.deploymentIds.add(deployment.id);
      }
    }
  }
  const problems = await removeCreated(endpoint, owner, repo, leftovers);
  if (problems.length > 0) throw new Error(`Could not remove earlier leftovers: ${problems.join('; ')}`);
  return leftovers.tags.size + leftovers.deploymentIds.size;
}

/**
 * Deletes tags (only under {@link PROBE_TAG_PREFIX}) and deployments (marked inactive first, as GitHub deletes
 * only inactive deployments or the last of an environment). Returns what could not be removed.
 */
export async function removeCreated(
  endpoint: Endpoint,
  owner: string,
  repo: string,
  created: CreatedResources,
): Promise<string[]> {
  const problems: string[] = [];
  for (const tag of created.tags) {
    if (!tag.startsWith(PROBE_TAG_PREFIX)) throw new Error(`Refusing to delete ${tag}: not a probe tag`);
    const answer = await send(endpoint, { method: 'DELETE', path: `/repos/${owner}/${repo}/git/${tag}` });
    // 422 "Reference does not exist": the probe's request to create it was refused.
    if (answer.status !== 204 && answer.status !== 422)
      problems.push(`${tag}: DELETE answered ${answer.status}`);
  }
  for (const id of created.deploymentIds) {
    const deployment = `/repos/${owner}/${repo}/deployments/${id}`;
    const inactive = await send(endpoint, {
      method: 'POST',
      path: `${deployment}/statuses`,
      body: { state: 'inactive', description: 'Removed by the probe' },
    });
    const removed = await send(endpoint, { method: 'DELETE', path: deployment });
    if (removed.status !== 204 && removed.status !== 404) {
      problems.push(`deployment ${id}: inactive ${inactive.status}, DELETE ${removed.status}`);
    }
  }
  return problems;
}
