// The parts of undici acrx uses, imported directly. undici's index also loads fetch, cookies, mocks
// and caches, and its cookies module pulls in Node's own bundled copy of undici: together that is most
// of a start-up. The one thing the index does that these parts need is repeated here: it puts the
// request API (request, connect, ...) on Dispatcher, which the proxy agent relies on.
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

Object.assign(Dispatcher.prototype, api);

export { Agent, EnvHttpProxyAgent };
