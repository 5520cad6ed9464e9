/**
 * Which `permissions:` entry of a workflow each GitHub REST route needs, so a 403 can name the line to add.
 * Routes are matched on the path after `/repos/{owner}/{repo}`.
 */
interface PermissionRule {
  pattern: RegExp;
  scope: 'deployments' | 'contents' | 'actions' | 'statuses' | 'administration' | 'metadata';
}

const RULES: PermissionRule[] = [
  { pattern: /^\/deployments(\/|$)/, scope: 'deployments' },
  { pattern: /^\/actions\//, scope: 'actions' },
  { pattern: /^\/environments(\/|$)/, scope: 'actions' },
  { pattern: /^\/statuses\//, scope: 'statuses' },
  { pattern: /^\/(git|releases|contents|commits|compare|tags)(\/|$)/, scope: 'contents' },
  { pattern: /^$/, scope: 'metadata' },
];

/** The `permissions:` entry (e.g. `deployments: write`) a request needs, or undefined when unknown. */
export function requiredPermission(method: string, path: string): string | undefined {
  // The suite's GraphQL requests read and swap environment tags.
  if (path === '/graphql' || path.endsWith('/api/graphql')) return 'contents: write';
  const match = /^\/repos\/[^/]+\/[^/]+(\/[^?]*)?/.exec(path);
  if (!match) return undefined;
  const rest = match[1] ?? '';
  const rule = RULES.find((candidate) => candidate.pattern.test(rest));
  if (!rule) return undefined;
  if (rule.scope === 'metadata') return 'metadata: read';
  if (method.toUpperCase() === 'PUT' && rule.pattern.source.includes('environments')) {
    return 'administration: write (a GITHUB_TOKEN cannot have it: use a token of a GitHub App or a person)';
  }
  const access = method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD' ? 'read' : 'write';
  return `${rule.scope}: ${access}`;
}
