/** A repository on GitHub, as every request path names it. */
export interface RepositoryRef {
  owner: string;
  repo: string;
}
