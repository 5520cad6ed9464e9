import type { Emulator } from '@release-promotion/emulator';
import { parseEnvironmentList } from '../../packages/core/src/chain/environment-chain.js';
import { parsePromotionConfig } from '../../packages/core/src/chain/promotion-config.js';
import { createGitHubClient } from '../../packages/core/src/github/client.js';
import type { RunContext } from '../../packages/core/src/run-context.js';
import { acceptRelease } from '../../packages/core/src/use-cases/accept.js';
import { deployEnvironment } from '../../packages/core/src/use-cases/deploy-env.js';
import { prepareRelease } from '../../packages/core/src/use-cases/prepare-release.js';
import type { UseCaseDependencies } from '../../packages/core/src/use-cases/use-case-dependencies.js';
import { silentLogger } from '../../packages/core/test/support/loggers.js';

/** The chain the reliability scenarios use: two environments, versions from the second. */
export const SCENARIO_ENVIRONMENTS = 'integration, production';

/** Core dependencies for one workflow run against the emulator (in-process: builds state quickly). */
export function coreRun(emulator: Emulator, runId: number, sha: string, actor = 'mona'): UseCaseDependencies {
  const context: RunContext = {
    owner: emulator.owner,
    repo: emulator.repo,
    sha,
    ref: 'refs/heads/main',
    runId,
    runAttempt: 1,
    actor,
    serverUrl: 'https://github.com',
    apiUrl: emulator.url,
    workflow: 'Promote',
    job: 'promote',
    workspace: undefined,
  };
  const chain = parseEnvironmentList(SCENARIO_ENVIRONMENTS);
  if (!chain) throw new Error('no chain');
  return {
    client: createGitHubClient({ token: 't', baseUrl: emulator.url, retries: 0 }),
    context,
    logger: silentLogger,
    config: parsePromotionConfig(`environments: [${chain.names.join(', ')}]`, 'scenario'),
  };
}

/** Prepares `sha` for `environment` in run `runId`, and optionally deploys and accepts it. */
export async function promoteWithCore(
  emulator: Emulator,
  environment: string,
  sha: string,
  runId: number,
  until: 'prepared' | 'deployed' | 'accepted',
): Promise<number> {
  const run = coreRun(emulator, runId, sha);
  const prepared = await prepareRelease(run, { environment, force: false, dryRun: false });
  if (until === 'prepared') return prepared.deploymentId as number;
  await deployEnvironment(run, {
    environment,
    deploymentId: undefined,
    status: 'success',
    run: undefined,
    environmentUrl: undefined,
    dryRun: false,
  });
  if (until === 'accepted') {
    await acceptRelease(run, { environment, deploymentId: undefined, approval: 'none', dryRun: false });
  }
  return prepared.deploymentId as number;
}

/**
 * Where the promotion stands, with everything that differs between two equal histories (ids, times, shas of
 * commits made at other moments) replaced by stable names: commits by their subject.
 */
export function promotionSnapshot(emulator: Emulator): unknown {
  const refs = refsOf(emulator);
  const subjects = commitSubjects(emulator, refs);
  const name = (sha: string) => subjects.get(sha) ?? sha;
  const named = (text: string) =>
    text
      .replace(/\b[0-9a-f]{40}\b/g, (sha) => `<${name(sha)}>`)
      .replace(/\b[0-9a-f]{7}\b/g, (short) => {
        const full = [...subjects.keys()].find((sha) => sha.startsWith(short));
        return full ? `<${name(full)}>` : short;
      })
      .replace(/run \d+/g, 'run N');
  const tags = refs
    .filter((ref) => ref.name.startsWith('refs/tags/'))
    .map((ref) => `${ref.short} (${ref.type}) -> ${name(ref.commit)}`)
    .sort();
  const deployments = [...emulator.store.deployments]
    .sort((a, b) => a.id - b.id)
    .map((deployment) => {
      const payload = (
        typeof deployment.payload === 'string' ? JSON.parse(deployment.payload) : deployment.payload
      ) as Record<string, { kind?: string; version?: string | null; run?: { id?: number } } | undefined>;
      const record = payload['release-promotion'];
      return {
        environment: deployment.environment,
        commit: name(deployment.sha),
        kind: record?.kind,
        version: record?.version,
        run: record?.run?.id,
        statuses: emulator.store.statuses
          .filter((status) => status.deploymentId === deployment.id)
          .sort((a, b) => a.id - b.id)
          .map((status) => `${status.state}: ${named(status.description)}`),
      };
    });
  const releases = [...emulator.store.releases]
    .sort((a, b) => a.id - b.id)
    .map((release) => ({
      tag: release.tagName,
      prerelease: release.prerelease,
      draft: release.draft,
      body: named(release.body ?? ''),
    }));
  return { tags, deployments, releases };
}

/** A ref: its full and short names, the type of the object it points at, and the commit it leads to. */
interface RefEntry {
  name: string;
  short: string;
  type: string;
  commit: string;
}

/** Every ref of the repository (one git process). */
function refsOf(emulator: Emulator): RefEntry[] {
  return emulator.git
    .run(['for-each-ref', '--format=%(refname) %(refname:short) %(objecttype) %(*objectname)%(objectname)'])
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, short, type, target] = line.split(' ') as [string, string, string, string];
      return { name, short, type, commit: type === 'tag' ? target.slice(0, 40) : target };
    });
}

/** Subjects of the commits read so far, by emulator: a commit's subject never changes. */
const knownSubjects = new WeakMap<Emulator, Map<string, string>>();

/**
 * The subject of every commit the refs lead to, by sha. Read from git again only when a ref leads to a commit
 * not read before (a test made commits since): every commit reachable from the refs was read with them.
 */
function commitSubjects(emulator: Emulator, refs: RefEntry[]): Map<string, string> {
  const known = knownSubjects.get(emulator);
  if (known && refs.every((ref) => known.has(ref.commit))) return known;
  const subjects = new Map<string, string>();
  for (const line of emulator.git.run(['log', '--all', '--format=%H %s']).split('\n')) {
    const [sha, ...subject] = line.split(' ');
    if (sha) subjects.set(sha, subject.join(' '));
  }
  knownSubjects.set(emulator, subjects);
  return subjects;
}
