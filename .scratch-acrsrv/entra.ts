import { spawn } from 'node:child_process';
import { createAcrTestCa } from '../test/fixtures/acr-tls.js';
import { startEntraServer } from '../test/fixtures/entra-server.js';
const ca = await createAcrTestCa();
const pub = await ca.issue(['login.microsoftonline.com']);
const entra = await startEntraServer({ tenantId: 'tid-1', clients: { cid: 'sec' }, tls: { cert: ca.serverCert, key: ca.serverKey }, publicCloudTls: pub });
for (const mode of ['disable', 'default']) {
  const script = `const { DefaultAzureCredential } = await import('@azure/identity');
const t = await new DefaultAzureCredential(JSON.parse(process.env.OPTS)).getToken('https://containerregistry.azure.net/.default');
console.log(JSON.stringify(t));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: '/work/main', env: { PATH: process.env.PATH, HOME: '/tmp', NODE_EXTRA_CA_CERTS: ca.caCertPath, AZURE_AUTHORITY_HOST: entra.authorityHost, AZURE_TENANT_ID: 'tid-1', AZURE_CLIENT_ID: 'cid', AZURE_CLIENT_SECRET: 'sec', HTTPS_PROXY: entra.proxyUrl, HTTP_PROXY: entra.proxyUrl, NO_PROXY: '127.0.0.1,localhost', OPTS: JSON.stringify(mode === 'disable' ? { disableInstanceDiscovery: true } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = ''; child.stdout.on('data', (c) => (out += c)); child.stderr.on('data', (c) => (out += c));
  await new Promise((r) => child.on('exit', r));
  console.log(mode, out.slice(0, 300));
  console.log(JSON.stringify(entra.requests.map(r => [r.host, r.method, r.path, r.query, r.status, r.form]), null, 0));
  console.log(JSON.stringify(entra.proxyAttempts));
  entra.requests.length = 0; entra.proxyAttempts.length = 0;
}
await entra.stop(); await ca.cleanup();
