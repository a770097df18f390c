/**
 * Page views of a single-page app, taken once a navigation has settled. History changes are
 * seen by wrapping pushState/replaceState and listening to popstate and hashchange; each change
 * of URL (re)starts a short timer, and the view is taken when the URL has stayed the same for
 * SETTLE_MS, with the URL and document.title as they are then. Why wait: routers push the new
 * URL first and render the new route (and set its title) afterwards, and an in-app redirect is
 * a pushState followed a few ms later by a replaceState. Settled, a redirect is one view of the
 * final URL, like an HTTP redirect, and every view carries its own title.
 *
 * A navigation is a change of path or #fragment: a URL that only rewrites the query string
 * (filters, a router stripping utm_* after reading them), a re-render pushing the same URL or
 * a return to the URL already counted adds none. Back/forward to another path adds one. A page
 * left before it settled (a visitor clicking through faster than SETTLE_MS) was not seen and is
 * not counted. The referrer of a view is the URL the visitor had settled on before it.
 *
 * `settle` (returned) takes a pending view now: the tracker calls it when the page is hidden or
 * left, so a fast exit loses nothing.
 */
import { on, safe } from '../safe';

/**
 * How long the URL must stay unchanged. Measured in Chromium (test/e2e/sdk-routers.test.ts
 * prints it): React Router 7 and Vue Router 4 finish a navigation (title set, an in-app
 * redirect's replaceState done) within 1–76 ms of its pushState in most runs on a shared 2-core
 * machine, once in 237 ms while it was busy. A slow phone, or a route whose code loads lazily,
 * takes a few hundred ms; 400 ms covers that and is still shorter than anyone looks at a page
 * they meant to see.
 */
export const SETTLE_MS = 400;

/** `page(ref)` gets the referrer of the new view. The load's own view is the caller's. */
export function capturePageviews(page: (ref: string) => void): () => void {
  const where = () => location.pathname + location.hash;
  let counted = where();
  let ref = location.href;
  let seen = ref;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // Also run by the pending timer after the page took it early: by then nothing is left to take.
  const settle = safe(() => {
    if (where() !== counted) {
      counted = where();
      page(ref);
    }
    ref = seen = location.href;
  });

  const changed = safe(() => {
    if (location.href !== seen) {
      seen = location.href;
      clearTimeout(timer);
      timer = setTimeout(settle, SETTLE_MS);
    }
  });

  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      changed();
    };
  }
  for (const type of ['popstate', 'hashchange']) on(type, changed, window);
  return settle;
}
