/** What a probe is, and the request templates the probes share. */
import type { ExchangeSpec, ProbeSession } from './fixture.js';
import type { GraphqlRequest, RestRequest } from './http.js';

/** One question to GitHub, answered by a fixture. */
export interface Probe {
  /** The fixture's file name without `.json`. */
  name: string;
  question: string;
  /** The history roles (`sandbox.ts`) its requests use; the probe is skipped when one is missing. */
  roles: string[];
  /** Sends its requests through the session and returns its findings. */
  run(session: ProbeSession): Promise<Record<string, unknown>>;
}

/** The paths compared for a GraphQL mutation: the whole `data`, and each error's `type` and `message`. */
export const MUTATION_FIELDS = ['status', 'body.data', 'body.errors[*].type', 'body.errors[*].message'];

const REPOSITORY_ID_QUERY = `query ProbeRepositoryId($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    id
  }
}`;

const UPDATE_REFS = `mutation ProbeUpdateRefs($input: UpdateRefsInput!) {
  updateRefs(input: $input) {
    clientMutationId
  }
}`;

/** Reads the repository's node id into `<node:repository>` (for `updateRefs`). */
export function repositoryIdExchange(): ExchangeSpec {
  return {
    step: 'read the repository node id',
    request: { graphql: REPOSITORY_ID_QUERY, variables: { owner: '{owner}', name: '{repo}' } },
    compare: ['status'],
    capture: { '<node:repository>': 'body.data.repository.id' },
  };
}

/** One `RefUpdate` of `updateRefs`. */
export interface RefUpdate {
  name: string;
  afterOid: string;
  beforeOid?: string;
  force?: boolean;
}

/** The `updateRefs` mutation for one update. */
export function updateRefsRequest(update: RefUpdate): GraphqlRequest {
  return {
    graphql: UPDATE_REFS,
    variables: { input: { repositoryId: '<node:repository>', refUpdates: [update] } },
  };
}

/** `POST /git/refs`. */
export function createRefRequest(ref: string, sha: string): RestRequest {
  return { method: 'POST', path: '/repos/{owner}/{repo}/git/refs', body: { ref, sha } };
}

/** `PATCH /git/refs/{ref}` with `force: true`. */
export function forceRefRequest(ref: string, sha: string): RestRequest {
  return { method: 'PATCH', path: `/repos/{owner}/{repo}/git/${ref}`, body: { sha, force: true } };
}

/** Reads a ref back: `GET /git/ref/{ref}` (404 when absent), comparing where it points. */
export function readRefExchange(ref: string, why: string): ExchangeSpec {
  return {
    step: `read ${ref} back (${why})`,
    request: { method: 'GET', path: `/repos/{owner}/{repo}/git/${ref.replace(/^refs\//, 'ref/')}` },
    compare: ['status', 'body.object.sha'],
  };
}

/** Where a ref read back points, as a placeholder (`<commit:head>`), or `absent`. */
export function pointsAt(session: ProbeSession, answer: { status: number; body: unknown }): string {
  if (answer.status !== 200) return 'absent';
  const sha = (answer.body as { object?: { sha?: string } }).object?.sha ?? '';
  return String(session.normalizer.normalize(sha));
}

/** The first GraphQL error of an answer, as `{type, message}` (normalized), or `null`. */
export function firstGraphqlError(session: ProbeSession, body: unknown): unknown {
  const errors = (body as { errors?: Array<{ type?: string; message?: string }> } | null)?.errors;
  const error = errors?.[0];
  if (error === undefined) return null;
  return session.normalizer.normalize({ type: error.type ?? null, message: error.message ?? null });
}

/** `{status, message, x-accepted-github-permissions}` of a REST answer (normalized). */
export function restOutcome(
  session: ProbeSession,
  answer: { status: number; headers: Record<string, string>; body: unknown },
) {
  const message = (answer.body as { message?: string } | null)?.message ?? null;
  return {
    status: answer.status,
    message: message === null ? null : session.normalizer.normalizeString(message),
    acceptedPermissions: answer.headers['x-accepted-github-permissions'] ?? null,
  };
}
