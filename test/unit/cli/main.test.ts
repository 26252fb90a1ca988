// Bad input never reaches the network; broken registries give one line naming the host and exit 1.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { sendJson, startServer, type TestServer } from '../../support/http-server.js';

let server: TestServer;
let behaviour: (url: string, res: import('node:http').ServerResponse) => void;

beforeEach(async () => {
  behaviour = (_url, res) => sendJson(res, 200, {});
  server = await startServer((req, res) => behaviour(req.url, res));
});
afterEach(() => server.stop());

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('usage errors: exit 2, one line, no request', () => {
  const cases: Array<[string, string[]]> = [
    ['an invalid repository', ['repository', 'show-tags', '--repository', 'Bad/Name']],
    ['an invalid tag', ['repository', 'show', '--image', 'hello:-bad']],
    ['an invalid digest', ['repository', 'show', '--image', 'hello@sha256:1234']],
    ['--repository with --image', ['repository', 'show', '--repository', 'hello', '--image', 'hello:v1']],
    ['neither --repository nor --image', ['repository', 'show']],
    ['an unknown --orderby', ['repository', 'show-tags', '--repository', 'hello', '--orderby', 'name']],
    ['a malformed --query', ['repository', 'list', '--query', '[?name==']],
    ['a bad --top', ['repository', 'list', '--top', 'ten']],
    ['a negative --top', ['repository', 'list', '--top', '-1']],
    ['an unknown output format', ['repository', 'list', '-o', 'xml']],
    ['an unknown flag', ['repository', 'list', '--colour']],
    ['a password without a username', ['repository', 'list', '-p', 'secret']],
    ['--only-show-errors with --debug', ['repository', 'list', '--only-show-errors', '--debug']],
    ['a missing --repository', ['repository', 'show-manifests']],
    ['an unknown command', ['repository', 'lsit']],
  ];
  it.each(cases)('%s', async (_name, args) => {
    const result = await runCli([...args, '-n', server.origin.host]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERROR: [^\n]+\n$/);
    expect(server.requests).toEqual([]);
  });

  it('names what is wrong', async () => {
    expect((await runCli(['repository', 'show', '-n', server.origin.host, '--image', `hello@${DIGEST.slice(0, 20)}`])).stderr).toContain('invalid digest');
    expect((await runCli(['repository', 'show-tags', '-n', server.origin.host, '--repository', 'UPPER'])).stderr).toContain("invalid repository name 'UPPER'");
    expect((await runCli(['repository', 'list', '-n', 'https://x.example'])).stderr).toContain('without a scheme');
    expect((await runCli(['repository', 'list'])).stderr).toContain('-n/--name');
  });
});

describe('broken registries: exit 1 with the host and what happened', () => {
  it('nothing listening', async () => {
    const host = server.origin.host;
    await server.stop();
    const result = await runCli(['repository', 'list', '-n', host]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`ERROR: cannot reach ${host}: connection refused\n`);
  });

  it('a web server that is not a registry', async () => {
    behaviour = (_url, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>nope</html>');
    const result = await runCli(['repository', 'list', '-n', server.origin.host]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`ERROR: ${server.origin.host} does not look like an OCI registry: GET /v2/ answered HTTP 404 with an HTML page\n`);
  });

  it('a registry answering garbage', async () => {
    behaviour = (url, res) => (url === '/v2/' ? sendJson(res, 200, {}) : res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags": [tru'));
    const result = await runCli(['repository', 'show-tags', '-n', server.origin.host, '--repository', 'hello']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^ERROR: ${server.origin.host} returned a response that is not JSON`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a registry failing with 500 after retries', async () => {
    behaviour = (url, res) =>
      url === '/v2/' ? sendJson(res, 200, {}) : sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: 'disk on fire' }] });
    const result = await runCli(['repository', 'show-tags', '-n', server.origin.host, '--repository', 'hello']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 500');
    expect(result.stderr).toContain('disk on fire');
    expect(server.requests.filter((r) => r.url.startsWith('/v2/hello')).length).toBe(4);
  });

  it('a manifest whose bytes do not match the digest the registry claims', async () => {
    behaviour = (url, res) => {
      if (url === '/v2/') return sendJson(res, 200, {});
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': DIGEST }).end('{"schemaVersion":2}');
    };
    const result = await runCli(['repository', 'show', '-n', server.origin.host, '--image', 'hello:v1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not match its digest');
  });

  it('leaves out a tag deleted while listing, with a warning, instead of failing', async () => {
    const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
    const digest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
    behaviour = (url, res) => {
      if (url === '/v2/') return sendJson(res, 200, {});
      if (url.startsWith('/v2/r/tags/list')) return sendJson(res, 200, { name: 'r', tags: ['a', 'gone'] });
      if (url === '/v2/r/manifests/gone') return sendJson(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', 'docker-content-digest': digest }).end(index);
    };
    const result = await runCli(['repository', 'show-manifests', '-n', server.origin.host, '--repository', 'r']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ digest, tags: ['a'] }]);
    expect(result.stderr).toBe("WARNING: tag 'r:gone' was listed but is gone (deleted meanwhile?); it is left out\n");
  });

  it('a registry without the ACR API although ACRX_ACR_API=1 says so (exit 5), not "not found"', async () => {
    behaviour = (url, res) => (url === '/v2/' ? sendJson(res, 200, {}) : res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n'));
    const result = await runCli(['repository', 'show-tags', '-n', server.origin.host, '--repository', 'hello'], { ACRX_ACR_API: '1' });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/does not offer the ACR metadata API .*unset ACRX_ACR_API/);
  });

  it('--plain-http against a server that answers plain HTTP with 400 hints at HTTPS', async () => {
    behaviour = (_url, res) => res.writeHead(400, { 'content-type': 'text/plain' }).end('Client sent an HTTP request to an HTTPS server.\n');
    const result = await runCli(['repository', 'list', '-n', server.origin.host, '--plain-http']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/answered HTTP 400; it may speak HTTPS only: try without --plain-http/);
  });
});

describe('a --ca-file that holds no certificate', () => {
  it('is a usage error before any request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acrx-ca-'));
    try {
      const notPem = join(dir, 'ca.txt');
      writeFileSync(notPem, 'this is not a certificate\n');
      const result = await runCli(['repository', 'list', '-n', server.origin.host, '--ca-file', notPem]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`ERROR: --ca-file '${notPem}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n`);
      expect(server.requests).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
