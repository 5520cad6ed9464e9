/** GitHub-style global node ids. */

/** A node id in GitHub's legacy format: base64 of `<length of type, 3 digits>:<Type><id>`. */
export function legacyNodeId(type: string, id: number | string): string {
  return Buffer.from(`${String(type.length).padStart(3, '0')}:${type}${id}`).toString('base64');
}
