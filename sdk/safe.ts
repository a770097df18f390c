/**
 * The SDK runs inside someone else's page: nothing it does may throw into the host's code, not
 * even when storage is blocked or a vendor API behaves oddly. Every entry point (public API,
 * DOM listener, wrapped history method, vendor callback) goes through `safe`.
 */
// biome-ignore lint/suspicious/noExplicitAny: wraps functions of any shape
export const safe = <F extends (...args: any[]) => any>(fn: F) =>
  ((...args) => {
    try {
      return fn(...args);
    } catch {}
  }) as (...args: Parameters<F>) => ReturnType<F> | undefined;

/**
 * Listens, safely, in the capture phase: seen before the page's own handlers, so a page that
 * stops propagation (or stops a form submit to send it with fetch) still has it counted.
 */
export const on = <E extends Event>(
  type: string,
  fn: (event: E) => unknown,
  target: EventTarget = document,
): void => target.addEventListener(type, safe(fn) as EventListener, true);
