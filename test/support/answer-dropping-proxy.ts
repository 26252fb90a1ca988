// A loopback HTTP proxy in front of a real registry that passes chosen requests on and then drops the
// connection instead of passing the answer back: the registry did the work, the client never hears so.
import { createServer, request as forward } from 'node:http';
import { close, listen } from './listen.js';

export interface AnswerDroppingProxy {
  host: string;
  /** "METHOD /path STATUS" of every request the registry answered; "dropped" marks an answer not passed on. */
  log: string[];
  /** Drops the answer of the next `count` requests `matches` accepts. */
  dropAnswers(matches: (method: string, path: string) => boolean, count?: number): void;
  stop(): Promise<void>;
}

export async function startAnswerDroppingProxy(target: string): Promise<AnswerDroppingProxy> {
  let dropping: { matches: (method: string, path: string) => boolean; left: number } | undefined;
  const log: string[] = [];
  const server = createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0] ?? '';
    const drop = dropping !== undefined && dropping.left > 0 && dropping.matches(method, path);
    if (drop && dropping) dropping.left--;
    const upstream = forward(new URL(req.url ?? '/', target), { method, headers: req.headers }, (answer) => {
      log.push(`${method} ${path} ${answer.statusCode}${drop ? ' dropped' : ''}`);
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
  });
  const port = await listen(server);
  return {
    host: `127.0.0.1:${port}`,
    log,
    dropAnswers: (matches, count = 1) => {
      dropping = { matches, left: count };
    },
    stop: () => close(server),
  };
}
