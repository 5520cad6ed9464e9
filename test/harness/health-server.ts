import { createServer } from 'node:http';

/** A local HTTP server answering `200 ok` to every request: the health URL verify checks in scenarios. */
export interface HealthServer {
  /** `http://127.0.0.1:<port>/healthz`. */
  url: string;
  close(): Promise<void>;
}

/** Starts a {@link HealthServer} on a free port of 127.0.0.1. */
export async function startHealthServer(): Promise<HealthServer> {
  const server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
