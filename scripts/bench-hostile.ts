// The hostile-server rows of npm run bench: what acrx costs when a server misbehaves. A tag list answered
// with 600 MiB of junk must fail with memory as flat as a normal small read (the baseline: the same
// command on a 100-tag repository); a server that accepts and never answers must end the command
// within the bound the README states (the baseline: a process that sleeps for that bound).
import { createServer, type Server } from 'node:http';
import { writeJunk } from '../test/support/junk-body.js';
import { close, listen } from '../test/support/listen.js';
import { rssTarget, timeTarget, type RatioRow } from './bench-report.js';
import { compare, type Command, type SideResult } from './bench-run.js';

export interface HostileBench {
  node: string;
  acrx: string;
  env: NodeJS.ProcessEnv;
  scratch: string;
  /** A well-behaved registry and a small repository on it, for the memory baseline. */
  host: string;
  repository: string;
  rounds: number;
}

/** The bound on a stalled server stated in the README: two 30 s attempts. */
const STALL_BOUND_SECONDS = 60;
const JUNK_BYTES = 600 * 1024 * 1024;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; host: string }> {
  const server = createServer(handler);
  return { server, host: `127.0.0.1:${await listen(server)}` };
}

export async function measureHostile(bench: HostileBench): Promise<RatioRow[]> {
  const junk = await serve((req, res) => {
    if (req.url === '/v2/') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    res.writeHead(200, { 'content-type': 'application/json' });
    writeJunk(res, JUNK_BYTES);
  });
  const stalled = await serve(() => undefined);
  const showTags = (host: string, repository: string, exitCode: number): Command => ({
    file: bench.node,
    args: [bench.acrx, 'repository', 'show-tags', '-n', host, '--repository', repository],
    env: bench.env,
    exitCode,
  });
  try {
    const [junkResult, normal] = (await compare(
      'show-tags, 600 MiB of junk',
      [
        { name: 'acrx on 600 MiB of junk', commands: [showTags(junk.host, 'r', 1)] },
        { name: 'acrx on a 100-tag repository', commands: [showTags(bench.host, bench.repository, 0)] },
      ],
      bench.rounds,
      bench.scratch,
    )) as [SideResult, SideResult];
    const [stall, bound] = (await compare(
      'show-tags, stalled server',
      [
        { name: 'acrx on a stalled server', commands: [showTags(stalled.host, 'r', 1)] },
        {
          name: `a process sleeping ${STALL_BOUND_SECONDS} s`,
          commands: [{ file: bench.node, args: ['-e', `setTimeout(() => {}, ${STALL_BOUND_SECONDS * 1000})`], env: bench.env }],
        },
      ],
      1,
      bench.scratch,
      { long: true },
    )) as [SideResult, SideResult];
    return [
      {
        what: '`acrx repository show-tags` answered with 600 MiB of junk (exit 1), against the same on a 100-tag repository',
        acrx: junkResult,
        baseline: normal,
        targets: [rssTarget(Math.ceil((normal.rssKiB ?? 0) / 1024) + 20, junkResult)],
        note: 'Memory stays flat: the body is read up to the 16 MiB page limit and no further.',
      },
      {
        what: `\`acrx repository show-tags\` on a server that accepts and never answers (exit 1), against ${STALL_BOUND_SECONDS} s`,
        acrx: stall,
        baseline: bound,
        targets: [timeTarget(1.1, { acrx: stall, baseline: bound })],
        note: 'Two attempts of 30 s each (a stall is retried once), then exit 1 naming the host.',
      },
    ];
  } finally {
    await close(junk.server);
    await close(stalled.server);
  }
}
