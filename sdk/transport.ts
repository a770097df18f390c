/**
 * Getting one batch to the collector: one code path, a keepalive fetch, whether the page lives on
 * or is going away (keepalive lets the request outlive the page, as a beacon would). Bodies are
 * text/plain, a "simple" request, so the browser sends no CORS preflight.
 *
 * The answer, when the page is still there to read it: 2xx and 4xx settle the batch (a 4xx will
 * never succeed), 5xx, 429 and network errors ask for a retry, after the server's Retry-After
 * (seconds) when it gives one.
 */

/** 0: settled (delivered, or refused for good). -1: retry after the backoff. > 0: retry after this many ms. */
export type Outcome = number;

export const post = (url: string, body: string): Promise<Outcome> =>
  fetch(url, { method: 'POST', body, keepalive: true }).then(
    (response) =>
      /^5|429/.test(`${response.status}`) ? (response.headers.get('retry-after') as never) * 1000 || -1 : 0,
    () => -1,
  );
