/**
 * Page views of a single-page app. History changes are seen by wrapping pushState/replaceState
 * and listening to popstate and hashchange. A navigation is a change of path or #fragment: it
 * counts once however many of those signals it fires (a hash link fires popstate and
 * hashchange), never for the URL already counted, and a pushState/replaceState that only
 * rewrites the query string (filters, a router stripping utm_* after reading them) or a
 * re-render that pushes the same URL adds none. Back/forward to another path adds one.
 *
 * The view is taken as the URL changes, with the title the document has at that moment: a
 * router that sets the title only after pushState has the new path recorded under the previous
 * title. (Waiting a tick would fix that for 8 bytes the budget does not have.)
 */
import { on, safe } from '../safe';

/** `page(ref)` gets the previous URL, the new page's referrer. The load's own view is the caller's. */
export function capturePageviews(page: (ref: string) => void): void {
  const where = () => location.pathname + location.hash;
  let last = location.href;
  let counted = where();

  const check = safe(() => {
    if (where() !== counted) {
      counted = where();
      page(last);
    }
    last = location.href;
  });

  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      check();
    };
  }
  for (const type of ['popstate', 'hashchange']) on(type, check, window);
}
