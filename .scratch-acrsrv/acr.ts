import { Agent, request, setGlobalDispatcher, type Dispatcher } from 'undici';
import { createAcrTestCa } from '../test/fixtures/acr-tls.js';
import { startAcrServer } from '../test/fixtures/acr-server.js';
import { startRegistry } from '../test/support/registry.js';
import { pushImage, pushIndex } from '../test/support/seed.js';
const ca = await createAcrTestCa();
const registry = await startRegistry({ deleteEnabled: true });
const acr = await startAcrServer({ upstream: registry.url, tls: { cert: ca.serverCert, key: ca.serverKey }, users: { admin: 'pw' } });
const agent = new Agent({ connect: { ca: ca.caCert } });
async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const r = await request(`${acr.url}${path}`, { method: method as Dispatcher.HttpMethod, headers, body, dispatcher: agent });
  const text = await r.body.text();
  return { status: r.statusCode, headers: r.headers, text };
}
try {
  console.log(await call('GET', '/v2/'));
  console.log(await call('GET', '/acr/v1/team-a%2Fweb/_tags'));
  const tok = await call('POST', '/oauth2/token', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams([['grant_type', 'password'], ['service', acr.host], ['username', 'admin'], ['password', 'pw'], ['scope', 'repository:hello:pull,push,delete,metadata_read,metadata_write repository:team-a/web:pull,push'], ['scope', 'registry:catalog:*']]).toString());
  console.log(tok.status, tok.text.slice(0, 50));
  const token = JSON.parse(tok.text).access_token as string;
  console.log(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()));
  const authed = new Agent({ connect: { ca: ca.caCert } }).compose((dispatch) => (opts, handler) => dispatch({ ...opts, headers: { ...(opts.headers as Record<string, string>), authorization: `Bearer ${token}` } }, handler));
  setGlobalDispatcher(authed);
  const a = await pushImage(acr.url, 'hello', { tags: ['v1', 'latest', 'x'], created: '2024-01-01T00:00:00Z' });
  const b = await pushImage(acr.url, 'hello', { tags: [], byDigest: true, architecture: 'arm64' });
  await pushIndex(acr.url, 'hello', ['multi'], [a, b]);
  const auth = { authorization: `Bearer ${token}` };
  console.log((await call('GET', '/acr/v1/hello/_tags?n=2', auth)));
  console.log((await call('GET', '/acr/v1/hello/_manifests', auth)).text);
  console.log((await call('DELETE', '/acr/v1/hello/_tags/x', auth)));
  console.log((await call('GET', '/acr/v1/hello/_tags', auth)).text);
  console.log(await (await request(`${registry.url}/v2/hello/tags/list`)).body.text());
  console.log((await call('GET', '/acr/v1/hello', auth)).text);
  console.log((await call('DELETE', '/acr/v1/hello', auth)));
  console.log(await (await request(`${registry.url}/v2/hello/tags/list`)).body.text());
  console.log(acr.requests.slice(-5));
} finally {
  await acr.stop(); await registry.stop(); await ca.cleanup();
}
