/**
 * The record every deployment made by the suite carries in its `payload`, under {@link PAYLOAD_KEY}. It is what
 * other actions, tools and people read back to know which release a deployment carries. The payload is
 * readable by anyone with read access and may have been written by others: {@link readReleasePayload} checks
 * its shape (a sha, a semver version, a GitHub login) and never trusts it further: text from it is still escaped
 * wherever it is shown.
 */

/** The key of the suite's record inside a deployment payload, so other tools' payload fields can sit beside it. */
export const PAYLOAD_KEY = 'release-promotion';
/** Version of the payload layout. */
export const PAYLOAD_SCHEMA_VERSION = 1;

/** A release as other records point at it. */
export interface ReleaseRef {
  sha: string;
  version: string | null;
}

/** The workflow run that wrote a record. */
export interface RunRef {
  id: number;
  attempt: number;
  url: string;
}

/** The deployment `task` of the suite's deployments; other tasks in the repository are not the suite's. */
export const DEPLOYMENT_TASK = 'deploy';

/** The suite's record in a deployment payload. */
export interface ReleasePayload {
  schema: number;
  /** Whether this deployment ships a release forward or takes an environment back. */
  kind: 'release' | 'rollback';
  environment: string;
  sha: string;
  version: string | null;
  /** The release running in the environment when this one was prepared, if any. */
  previous: ReleaseRef | null;
  run: RunRef;
  /** Who started the run that prepared this release. */
  actor: string;
  /** Set when the gate was overridden with `force`. */
  forced: { reason: string } | null;
  /** Set on a rollback deployment: the release rolled back and why. */
  rollback: { from: ReleaseRef; reason: string } | null;
}

/** The deployment `payload` object holding `record`. */
export function toDeploymentPayload(record: ReleasePayload): Record<string, unknown> {
  return { [PAYLOAD_KEY]: record };
}

const SHA = /^[0-9a-f]{40}$/;
/** A version as the suite writes it (semver without `v`); anything else in a payload is not the suite's. */
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]{1,64})?(?:\+[0-9A-Za-z.-]{1,64})?$/;
/** A GitHub login (a person or an app's bot). */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

const isVersion = (value: unknown) => value === null || (typeof value === 'string' && VERSION.test(value));

function isReleaseRef(value: unknown): value is ReleaseRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Record<string, unknown>;
  return (
    typeof ref.sha === 'string' &&
    SHA.test(ref.sha) &&
    (ref.version === null || typeof ref.version === 'string')
  );
}

/**
 * Reads the suite's record from a deployment payload (an object, or the JSON string GitHub sometimes returns).
 * Returns undefined when the payload holds no well-formed record.
 */
export function readReleasePayload(payload: unknown): ReleasePayload | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = (value as Record<string, unknown>)[PAYLOAD_KEY];
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Record<string, unknown>;
  const run = r.run as Record<string, unknown> | undefined;
  const wellFormed =
    typeof r.schema === 'number' &&
    (r.kind === 'release' || r.kind === 'rollback') &&
    typeof r.environment === 'string' &&
    typeof r.sha === 'string' &&
    SHA.test(r.sha) &&
    isVersion(r.version) &&
    (r.previous === null || isReleaseRef(r.previous)) &&
    typeof run === 'object' &&
    run !== null &&
    typeof run.id === 'number' &&
    typeof run.attempt === 'number' &&
    typeof run.url === 'string' &&
    typeof r.actor === 'string' &&
    (r.actor === '' || LOGIN.test(r.actor)) &&
    typeof r.environment === 'string' &&
    (r.forced === null ||
      (typeof r.forced === 'object' && typeof (r.forced as { reason?: unknown }).reason === 'string')) &&
    (r.rollback === null ||
      (typeof r.rollback === 'object' &&
        isReleaseRef((r.rollback as { from?: unknown }).from) &&
        typeof (r.rollback as { reason?: unknown }).reason === 'string'));
  return wellFormed ? (record as ReleasePayload) : undefined;
}
