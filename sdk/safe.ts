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
