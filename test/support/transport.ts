// What the transport layer tests share: the bottom transport over one undici pool, and loopback test
// servers that are stopped after each test.
import { afterEach } from 'vitest';
import { createBaseTransport, createDispatcher } from '../../src/transport/base.js';
import { startServer, type TestServer } from './http-server.js';

export const baseTransport = createBaseTransport(createDispatcher({ timeoutMs: 5_000 }));

/** A retry policy that does not wait, for tests. */
export const NO_SLEEP = { retries: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 60_000 };

/** `serve(...)`: a loopback test server, stopped after the test (call at the top of a test file). */
export function serversStoppedAfterEach(): { serve: typeof startServer; forget(server: TestServer): void } {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });
  return {
    serve: async (...args) => {
      const server = await startServer(...args);
      servers.push(server);
      return server;
    },
    forget: (server) => {
      servers.splice(servers.indexOf(server), 1);
    },
  };
}
