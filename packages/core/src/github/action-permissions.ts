/**
 * The one table of the `permissions:` each action needs of its token, and what for. Everything that names an
 * action's permissions is derived from it: the error of a 403 or a GraphQL FORBIDDEN (`api-error.ts`), the
 * `token` input description in each `<action>/action.yml` and the README's "Permissions" section (both written
 * by `scripts/actions-reference.mjs`, which `npm run lint` runs with `--check`). `test/permissions.test.ts`
 * checks the table against the requests each action makes.
 */

/** The six actions. */
export const SUITE_ACTIONS = [
  'prepare-release',
  'deploy-env',
  'verify',
  'accept',
  'rollback',
  'status',
] as const;

/** The name of an action of the suite. */
export type SuiteActionName = (typeof SUITE_ACTIONS)[number];

/** A `permissions:` key the suite uses. */
export type PermissionScope = 'actions' | 'contents' | 'deployments';

/** One entry of an action's `permissions:` and what the action does with it. */
export interface PermissionNeed {
  scope: PermissionScope;
  access: 'read' | 'write';
  /** What the action does with it, completing "needs `contents: write` to ...". */
  why: string;
}

/** What each action needs, entries in alphabetical order as a `permissions:` block lists them. */
export const ACTION_PERMISSIONS: Readonly<Record<SuiteActionName, readonly PermissionNeed[]>> = {
  'prepare-release': [
    {
      scope: 'contents',
      access: 'write',
      why: 'create the version tag and its Release, read commits and tags',
    },
    { scope: 'deployments', access: 'write', why: 'create the deployment' },
  ],
  'deploy-env': [
    { scope: 'contents', access: 'read', why: 'read the environment tags and the configuration file' },
    { scope: 'deployments', access: 'write', why: 'record deploying, deployed or failed' },
  ],
  verify: [
    { scope: 'contents', access: 'read', why: 'read the environment tags and the configuration file' },
    { scope: 'deployments', access: 'write', why: 'record verified or failed' },
  ],
  accept: [
    { scope: 'actions', access: 'read', why: "read the run's approvals" },
    { scope: 'contents', access: 'write', why: 'move the environment tag and update the Release' },
    { scope: 'deployments', access: 'write', why: 'record accepted' },
  ],
  rollback: [
    { scope: 'contents', access: 'write', why: 'move the environment tag back' },
    { scope: 'deployments', access: 'write', why: 'create the rollback deployment and mark the bad one' },
  ],
  status: [
    { scope: 'contents', access: 'read', why: 'read the environment tags, commits and Releases' },
    { scope: 'deployments', access: 'read', why: 'read the deployments and their statuses' },
  ],
};

/** The actions that create or move tags: GitHub may refuse those writes for the `workflows` permission. */
export const TAG_WRITING_ACTIONS: readonly SuiteActionName[] = ['prepare-release', 'accept', 'rollback'];

/** Whether `name` is one of the six actions. */
export function isSuiteActionName(name: string): name is SuiteActionName {
  return (SUITE_ACTIONS as readonly string[]).includes(name);
}

/** `contents: write` */
export function permissionEntry(need: PermissionNeed): string {
  return `${need.scope}: ${need.access}`;
}

/** `'contents: write' and 'deployments: write'`, for messages. */
export function quotedPermissions(action: SuiteActionName): string {
  const quoted = ACTION_PERMISSIONS[action].map((need) => `'${permissionEntry(need)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : (quoted[0] ?? '');
}

/** The `permissions:` block of a job running `action`, indented by `indent` spaces. */
export function permissionsYaml(action: SuiteActionName, indent = 0): string {
  const pad = ' '.repeat(indent);
  return [
    `${pad}permissions:`,
    ...ACTION_PERMISSIONS[action].map((need) => `${pad}  ${permissionEntry(need)}`),
  ].join('\n');
}

/** The hint of a permission error of `action`: the YAML to add. */
export function permissionsHint(action: SuiteActionName): string {
  return `Add to the workflow or job:\n${permissionsYaml(action, 2)}`;
}

/** The `token` input description of `action.yml`, generated from the table. */
export function tokenDescription(action: SuiteActionName): string {
  const needs = ACTION_PERMISSIONS[action]
    .map((need) => `\`${permissionEntry(need)}\` to ${need.why}`)
    .join('; ');
  const tags = TAG_WRITING_ACTIONS.includes(action)
    ? ' To tag a commit whose `.github/workflows` differ from the branch heads, GitHub also requires ' +
      '`workflows: write`, which a GITHUB_TOKEN never has: then pass a GitHub App installation token.'
    : '';
  return `The GitHub token. Needs ${needs}.${tags}`;
}
