// What the blob and manifest operations beside the client need from it: where the registry is and a
// way to send (through the client's transport, with its abort signal).
import type { HttpRequest, HttpResponse } from '../transport/types.js';

export interface RegistryEndpoint {
  /** The registry's base URL; every /v2/ path is resolved against it. */
  readonly base: URL;
  /** The login server, as messages name the registry. */
  readonly host: string;
  readonly signal?: AbortSignal;
  send(request: HttpRequest): Promise<HttpResponse>;
}
