/** GitHub-shaped error answers, thrown by route handlers and turned into responses by the server. */

/** The documentation URL GitHub uses when no operation-specific page applies. */
export const GENERIC_DOCUMENTATION_URL = 'https://docs.github.com/rest';

/** The body of a GitHub error answer. */
export interface GitHubErrorBody {
  message: string;
  documentation_url: string;
  status?: string;
  errors?: ValidationErrorItem[];
}

/** One entry of the `errors` array of a GitHub "Validation Failed" answer. */
export interface ValidationErrorItem {
  resource: string;
  field?: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  message?: string;
}

/**
 * An error answer. `documentationUrl` may be left out: the server fills in the operation's documentation page
 * from the OpenAPI description.
 */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: ValidationErrorItem[],
    readonly documentationUrl?: string,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }

  /** The JSON body GitHub would send. */
  toBody(defaultDocumentationUrl: string): GitHubErrorBody {
    return githubErrorBody(
      this.status,
      this.message,
      this.documentationUrl ?? defaultDocumentationUrl,
      this.errors,
    );
  }
}

/** Builds a GitHub error body: `{message, documentation_url, status, errors?}` (`status` is a string, as GitHub sends it). */
export function githubErrorBody(
  status: number,
  message: string,
  documentationUrl = GENERIC_DOCUMENTATION_URL,
  errors?: ValidationErrorItem[],
): GitHubErrorBody {
  // Key order as GitHub sends it: message, errors, documentation_url, status.
  return errors
    ? { message, errors, documentation_url: documentationUrl, status: String(status) }
    : { message, documentation_url: documentationUrl, status: String(status) };
}

/** GitHub's real 403 body when a `GITHUB_TOKEN` lacks a permission (use it as a fault body). */
export function resourceNotAccessibleBody(documentationUrl = GENERIC_DOCUMENTATION_URL): GitHubErrorBody {
  return githubErrorBody(403, 'Resource not accessible by integration', documentationUrl);
}

/** GitHub's 403 body for a secondary rate limit (use with a `retry-after` header). */
export function secondaryRateLimitBody(documentationUrl = GENERIC_DOCUMENTATION_URL): GitHubErrorBody {
  return githubErrorBody(
    403,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    documentationUrl,
  );
}

/** A 404 "Not Found". */
export function notFound(message = 'Not Found'): GitHubApiError {
  return new GitHubApiError(404, message);
}

/** A 422 with a plain message, such as "Reference already exists". */
export function unprocessable(message: string): GitHubApiError {
  return new GitHubApiError(422, message);
}

/** A 422 "Validation Failed" listing what was wrong. */
export function validationFailed(...errors: ValidationErrorItem[]): GitHubApiError {
  return new GitHubApiError(422, 'Validation Failed', errors);
}
