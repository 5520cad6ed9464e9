/** The repository the emulator serves and the URLs of its resources. */

/** Names and URLs of the emulated repository. */
export class RepositoryContext {
  /** When the emulated repository was "created" (the emulator's start). */
  readonly createdAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly defaultBranch: string,
    /** The emulator's base URL (`http://127.0.0.1:<port>`), standing in for `https://api.github.com`. */
    readonly apiUrl: string,
  ) {}

  /** `owner/name`. */
  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** The API URL of the repository, or of a path below it: `repoUrl('deployments/1')`. */
  repoUrl(path = ''): string {
    const base = `${this.apiUrl}/repos/${this.owner}/${this.name}`;
    return path ? `${base}/${path}` : base;
  }

  /** The github.com URL of the repository, or of a page below it: `htmlUrl('commit/<sha>')`. */
  htmlUrl(path = ''): string {
    const base = `https://github.com/${this.owner}/${this.name}`;
    return path ? `${base}/${path}` : base;
  }

  /** Whether a request's `{owner}` and `{repo}` name this repository (GitHub compares them case-insensitively). */
  isThisRepository(owner: string | undefined, name: string | undefined): boolean {
    return (
      owner?.toLowerCase() === this.owner.toLowerCase() && name?.toLowerCase() === this.name.toLowerCase()
    );
  }
}

/** Encodes each segment of a path (ref names, file paths) for use in a URL, keeping the slashes. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
