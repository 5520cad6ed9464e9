/**
 * The reference line of the benchmark: recording a successful deployment the usual way, with plain
 * `@octokit/rest` (no retries, no throttling). The new deployment gets a `success` status (with GitHub's
 * `auto_inactive` turned off, since this script retires the old ones itself); then every deployment of the
 * environment is listed, page by page, and each earlier one gets an `inactive` status. Its cost grows with the
 * environment's history: one request per earlier deployment, plus one per page of 100.
 *
 * Run by hand: `npx tsx scripts/bench/naive-deactivation.ts <environment> <deployment-id>` with `GITHUB_API_URL`,
 * `GITHUB_REPOSITORY` (`owner/name`) and `GITHUB_TOKEN` set.
 */
import { pathToFileURL } from 'node:url';
import { Octokit } from '@octokit/rest';

/** Where and what to record. */
export interface NaiveDeactivationOptions {
  /** The REST API's base URL (`https://api.github.com`, or the emulator's). */
  baseUrl: string;
  token: string;
  owner: string;
  repo: string;
  environment: string;
  /** The deployment that succeeded. */
  deploymentId: number;
}

/** What the script did. */
export interface NaiveDeactivationResult {
  /** Deployments the listing returned. */
  listed: number;
  /** Earlier deployments that got an `inactive` status. */
  deactivated: number;
}

/** Marks `deploymentId` successful, then marks every earlier deployment of the environment inactive. */
export async function recordSuccessNaively(
  options: NaiveDeactivationOptions,
): Promise<NaiveDeactivationResult> {
  const octokit = new Octokit({ auth: options.token, baseUrl: options.baseUrl });
  const { owner, repo, environment, deploymentId } = options;
  await octokit.rest.repos.createDeploymentStatus({
    owner,
    repo,
    deployment_id: deploymentId,
    state: 'success',
    auto_inactive: false,
  });
  const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, {
    owner,
    repo,
    environment,
    per_page: 100,
  });
  let deactivated = 0;
  for (const deployment of deployments) {
    if (deployment.id >= deploymentId) continue;
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deployment.id,
      state: 'inactive',
    });
    deactivated += 1;
  }
  return { listed: deployments.length, deactivated };
}

async function main(argv: string[]): Promise<void> {
  const [environment, id] = argv;
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  const token = process.env.GITHUB_TOKEN;
  if (!environment || !id || !owner || !repo || !token) {
    throw new Error(
      'Usage: naive-deactivation.ts <environment> <deployment-id>, with GITHUB_REPOSITORY (owner/name) and ' +
        'GITHUB_TOKEN set (and GITHUB_API_URL for another server than api.github.com).',
    );
  }
  const result = await recordSuccessNaively({
    baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
    token,
    owner,
    repo,
    environment,
    deploymentId: Number(id),
  });
  console.log(`Listed ${result.listed} deployments; marked ${result.deactivated} inactive.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
