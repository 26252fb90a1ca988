// A DELETE is not sent again blindly: when its answer is lost (the connection dropped) or the registry
// answers that it is busy, the item may be gone already — a repeat would be answered 404 and reported
// as "not found" for something acrx did delete. So the item is looked up first: gone means done.
import { abortableSleep, backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, isTransientError } from '../transport/retry.js';
import type { HttpRequest, HttpResponse } from '../transport/types.js';

const ATTEMPTS = 3;

/** The registry's answer to the DELETE, or 'gone' when a lost or busy answer left the item deleted. */
export async function sendDelete(
  request: HttpRequest,
  send: (request: HttpRequest) => Promise<HttpResponse>,
  isGone: () => Promise<boolean>,
): Promise<HttpResponse | 'gone'> {
  for (let attempt = 0; ; attempt++) {
    let response: HttpResponse;
    try {
      response = await send(request);
    } catch (error) {
      if (!isTransientError(error) || attempt >= ATTEMPTS - 1) throw error;
      if (await isGone()) return 'gone';
      await abortableSleep(backoffDelay(DEFAULT_RETRY_POLICY, attempt), request.signal);
      continue;
    }
    if (!isRetryableStatus(response.status) || attempt >= ATTEMPTS - 1) return response;
    await response.discard();
    if (await isGone()) return 'gone';
    await abortableSleep(backoffDelay(DEFAULT_RETRY_POLICY, attempt), request.signal);
  }
}
