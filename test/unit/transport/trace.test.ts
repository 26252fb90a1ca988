import { describe, expect, it } from 'vitest';
import { redactUrl, traceTransport } from '../../../src/transport/trace.js';
import { sendJson } from '../../support/http-server.js';
import { baseTransport as base, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();

describe('trace', () => {
  it('never writes credentials, secret query values or bodies', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { token: 'SECRET-TOKEN' }, { 'set-cookie': 'session=SECRET-COOKIE' }));
    const lines: string[] = [];
    const transport = traceTransport(base, (line) => lines.push(line));
    const response = await transport({
      method: 'POST',
      url: new URL('/token?scope=repository:a:pull&password=SECRET-QUERY', server.url),
      headers: { authorization: 'Basic SECRET-BASIC', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'refresh_token=SECRET-REFRESH',
    });
    await response.json();
    const trace = lines.join('\n');
    expect(trace).toContain('POST');
    expect(trace).toContain('scope=repository%3Aa%3Apull');
    expect(trace).toContain('Basic <redacted>');
    for (const secret of ['SECRET-TOKEN', 'SECRET-COOKIE', 'SECRET-QUERY', 'SECRET-BASIC', 'SECRET-REFRESH']) {
      expect(trace).not.toContain(secret);
    }
  });

  it('drops user info from URLs', () => {
    expect(redactUrl(new URL('https://user:pw@r.example/v2/?n=10&token=abc'))).toBe('https://r.example/v2/?n=10&token=<redacted>');
  });
});
