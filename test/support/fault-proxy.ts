// A loopback HTTP proxy in front of a real registry that can refuse chosen requests (an error status
// instead of passing them on), hold them until the test lets them go, or pass them on and drop the
// connection instead of the answer, so a test can make one deletion fail, keep deletions in flight
// while it interrupts the client, or have the registry do the work without the client hearing so.
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen } from './listen.js';

export type RequestMatcher = (method: string, path: string) => boolean;

export interface FaultProxy {
  /** "127.0.0.1:PORT": the registry as clients reach it through the proxy. */
  host: string;
  url: string;
  /** "METHOD /path STATUS" of every answered request (query left out); "held" when one was held, "dropped" after an answer not passed on. */
  log: string[];
  /** Answers `status` with a registry error body to every request `matches` accepts, until clear(). */
  fail(matches: RequestMatcher, status?: number): void;
  /** Passes the next `count` requests `matches` accepts on, then drops the connection instead of their answer. */
  dropAnswers(matches: RequestMatcher, count?: number): void;
  /** Holds every request `matches` accepts until release(). */
  hold(matches: RequestMatcher): void;
  /** How many requests are being held now. */
  held(): number;
  /** Resolves once at least `count` requests are held at the same time. */
  waitForHeld(count: number): Promise<void>;
  /** Lets the held requests go on and stops holding. */
  release(): void;
  /** No more failures or holds. */
  clear(): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const failures: Array<{ matches: RequestMatcher; status: number }> = [];
  let holding: RequestMatcher | undefined;
  let dropping: { matches: RequestMatcher; left: number } | undefined;
  const waiting: Array<() => void> = [];
  const watchers: Array<{ count: number; resolve: () => void }> = [];
  const log: string[] = [];

  const notify = () => {
    for (const watcher of [...watchers]) {
      if (waiting.length >= watcher.count) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  };

  const pass = (req: IncomingMessage, res: ServerResponse, line: string, drop = false) => {
    // The Host header is passed on, so the registry's Locations point back at the proxy.
    const upstream = forward(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      log.push(`${line} ${answer.statusCode}${drop ? ' dropped' : ''}`);
      if (drop) {
        answer.resume();
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0] ?? '';
    const line = `${method} ${path}`;
    const failure = failures.find((rule) => rule.matches(method, path));
    if (failure) {
      req.resume();
      req.on('end', () => {
        const body = JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected failure', detail: {} }] });
        log.push(`${line} ${failure.status}`);
        res.writeHead(failure.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    if (holding?.(method, path)) {
      log.push(`${line} held`);
      waiting.push(() => pass(req, res, line));
      notify();
      return;
    }
    const drop = dropping !== undefined && dropping.left > 0 && dropping.matches(method, path);
    if (drop && dropping) dropping.left--;
    pass(req, res, line, drop);
  });
  const port = await listen(server);
  const release = () => {
    holding = undefined;
    for (const go of waiting.splice(0)) go();
  };
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    log,
    fail: (matches, status = 500) => void failures.push({ matches, status }),
    dropAnswers: (matches, count = 1) => {
      dropping = { matches, left: count };
    },
    hold: (matches) => {
      holding = matches;
    },
    held: () => waiting.length,
    waitForHeld: (count) =>
      new Promise<void>((resolve) => {
        watchers.push({ count, resolve });
        notify();
      }),
    release,
    clear: () => {
      failures.splice(0);
      release();
    },
    stop: async () => {
      release();
      await close(server);
    },
  };
}
