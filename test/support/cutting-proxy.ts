// A loopback HTTP proxy in front of a real registry that can cut one request off midway through its
// body, the way a dropped connection does, so tests see what the registry makes of the bytes it got.
import { createServer, request as forward, type IncomingMessage } from 'node:http';
import { close, listen } from './listen.js';

export interface CuttingProxy {
  /** "127.0.0.1:PORT": the registry as clients reach it through the proxy. */
  host: string;
  url: string;
  /** "METHOD /path STATUS" of every request, query left out; "cut" for the one cut off. */
  log: string[];
  /** Cuts the next request `matches` accepts after `afterBytes` bytes of its body reached the registry. */
  cutNext(matches: (request: IncomingMessage) => boolean, afterBytes: number): void;
  stop(): Promise<void>;
}

export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  let cut: { matches: (request: IncomingMessage) => boolean; afterBytes: number } | undefined;
  const log: string[] = [];
  const server = createServer((req, res) => {
    const line = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    // The Host header is passed on, so the registry's Locations point back at the proxy.
    const upstream = forward(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      log.push(`${line} ${answer.statusCode}`);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    const cutting = cut?.matches(req) ? cut : undefined;
    if (!cutting) return void req.pipe(upstream);
    cut = undefined;
    let passed = 0;
    req.on('data', (chunk: Buffer) => {
      if (passed >= cutting.afterBytes) return;
      const part = chunk.subarray(0, cutting.afterBytes - passed);
      passed += part.length;
      if (passed < cutting.afterBytes) return void upstream.write(part);
      // Let the registry store what it got before both connections drop.
      upstream.write(part, () =>
        setTimeout(() => {
          log.push(`${line} cut`);
          upstream.destroy();
          req.socket.destroy();
        }, 100),
      );
    });
  });
  const port = await listen(server);
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    log,
    cutNext: (matches, afterBytes) => {
      cut = { matches, afterBytes };
    },
    stop: () => close(server),
  };
}
