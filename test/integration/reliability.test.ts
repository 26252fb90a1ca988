// acrx against hostile or unlucky servers: bodies larger than anything a registry should send, listings
// with entries of the wrong type, a loopback server that does not speak TLS and does not say so in plain
// HTTP, and a DELETE whose answer is lost on the way back. Real servers throughout: the distribution
// registry behind small loopback proxies, or a loopback server scripted to misbehave.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { sendJson, startServer } from '../support/http-server.js';
import { writeJunk } from '../support/junk-body.js';
import { close, listen } from '../support/listen.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { pushImage } from '../support/seed.js';
import { startTlsShyProxy, type TlsRefusal } from '../support/tls-shy-proxy.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = !requireBinary('docker-registry');
if (missing && process.env.CI === 'true') throw new Error(missingToolMessage('docker-registry'));

describe('hostile answers', () => {
  it('fails with exit 1 naming the host and the limit when a tag list is hundreds of MiB of junk', async () => {
    let written = 0;
    const server: Server = createServer((req, res) => {
      if (req.url === '/v2/') return void sendJson(res, 200, {});
      res.writeHead(200, { 'content-type': 'application/json' });
      writeJunk(res, 600 * 1024 * 1024, (bytes) => (written = bytes));
    });
    const port = await listen(server);
    try {
      const result = await runCli(['repository', 'show-tags', '-n', `127.0.0.1:${port}`, '--repository', 'r']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} \\(/v2/r/tags/list\\) sent more than \\d+ bytes; acrx reads at most 16 MiB`));
      expect(result.stdout).toBe('');
      expect(written).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await close(server);
    }
  });

  it('refuses a tag list with entries of the wrong type instead of printing the ones that fit', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/v2/') return sendJson(response, 200, {});
      sendJson(response, 200, { name: 'r', tags: [1, null, { a: 1 }, ['x'], 'v1.0.0'] });
    });
    try {
      const result = await runCli(['repository', 'show-tags', '-n', server.origin.host, '--repository', 'r']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`${server.origin.host} sent a 'tags' list whose entry 0 is not what the API defines (1)`);
    } finally {
      await server.stop();
    }
  });

  it('ends a command against a server that never answers once --timeout runs out, naming the host (exit 1)', async () => {
    const server: Server = createServer((req, res) => {
      if (req.url === '/v2/') return void sendJson(res, 200, {});
      // Every other request is left without an answer.
    });
    const port = await listen(server);
    try {
      const result = await runCli(['repository', 'show-tags', '-n', `127.0.0.1:${port}`, '--repository', 'r', '--timeout', '1']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`127.0.0.1:${port} had not answered when --timeout (1 s) ran out`);
      const refused = await runCli(['repository', 'show-tags', '-n', `127.0.0.1:${port}`, '--repository', 'r', '--timeout', '0']);
      expect(refused.code).toBe(2);
    } finally {
      await close(server);
    }
  });

  it('refuses an ACR metadata page whose tag lacks the digest the API requires', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/v2/') return sendJson(response, 200, {});
      sendJson(response, 200, { registry: 'x', imageName: 'r', tags: [{ name: 'v1', digest: 'sha256:' + 'a'.repeat(64) }, { name: 'v2' }] });
    });
    try {
      const result = await runCli(['repository', 'show-tags', '-n', server.origin.host, '--repository', 'r'], { ACRX_ACR_API: '1' });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`${server.origin.host} sent a 'tags' list whose entry 1 is not what the API defines ({"name":"v2"})`);
    } finally {
      await server.stop();
    }
  });

  it('reads an empty tag list sent as null (distribution does, once every tag is deleted)', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/v2/') return sendJson(response, 200, {});
      sendJson(response, 200, { name: 'r', tags: null });
    });
    try {
      const result = await runCli(['repository', 'show-tags', '-n', server.origin.host, '--repository', 'r']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(missing)('a loopback registry and a lost answer', () => {
  let registry: RunningRegistry;

  beforeAll(async () => {
    registry = await startRegistry();
    await pushImage(registry.url, 'hello', { tags: ['v1', 'v2'] });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it.each<TlsRefusal>(['close', 'reset', 'silent'])(
    'uses plain HTTP for a loopback registry that meets a TLS handshake with %s, and --debug says so',
    async (refusal) => {
      const proxy = await startTlsShyProxy(registry.url, refusal);
      try {
        const result = await runCli(['repository', 'show-tags', '-n', proxy.host, '--repository', 'hello', '--debug']);
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual(['v1', 'v2']);
        expect(proxy.tlsAttempts()).toBe(1);
        expect(result.stderr).toContain(`${proxy.host} did not answer a TLS handshake`);
        expect(result.stderr).toContain('using plain HTTP');
      } finally {
        await proxy.stop();
      }
    },
  );

  it('reports a manifest deleted when the answer to its DELETE was lost, having checked it is gone', async () => {
    const image = await pushImage(registry.url, 'lost', { tags: ['v1'] });
    const proxy = await startFaultProxy(registry.url);
    try {
      proxy.dropAnswers((method) => method === 'DELETE');
      const result = await runCli(['manifest', 'delete', '-r', proxy.host, '-n', `lost@${image.descriptor.digest}`, '--yes']);
      expect(result.stderr).not.toContain('not found');
      expect(result.code).toBe(0);
      expect(proxy.log).toContain(`DELETE /v2/lost/manifests/${image.descriptor.digest} 202 dropped`);
      // The check, not a second DELETE.
      expect(proxy.log.filter((line) => line.startsWith('DELETE'))).toHaveLength(1);
      const after = await fetch(`${registry.url}/v2/lost/manifests/${image.descriptor.digest}`, { method: 'HEAD', headers: { accept: image.descriptor.mediaType } });
      expect(after.status).toBe(404);
    } finally {
      await proxy.stop();
    }
  });
});
