/**
 * Getting one batch to the collector. Bodies are text/plain, a "simple" request, so the browser
 * sends no CORS preflight.
 *
 * While the page lives, `post` uses fetch (keepalive, so a navigation does not cancel it) and
 * reads the answer: 2xx and 4xx settle the batch (a 4xx will never succeed), 5xx, 429 and
 * network errors ask for a retry, after the server's Retry-After (seconds) when it gives one.
 * When the page is going away `beacon` hands the batch to the browser: sendBeacon, or a
 * keepalive fetch when the beacon is refused; nobody is left to read an answer.
 */

/** 0: settled (delivered, or refused for good). -1: retry after the backoff. > 0: retry after this many ms. */
export type Outcome = number;

const send = (url: string, body: string) => fetch(url, { method: 'POST', body, keepalive: true });

export const post = (url: string, body: string): Promise<Outcome> =>
  send(url, body).then(
    (response) =>
      /^5|429/.test(`${response.status}`) ? (response.headers.get('retry-after') as never) * 1000 || -1 : 0,
    () => -1,
  );

export const beacon = (url: string, body: string): unknown =>
  navigator.sendBeacon(url, body) || send(url, body).catch(() => {});
