/** The browser's own privacy signals, and the rule that keeps development pages out of production data. */

/** Do Not Track or Global Privacy Control is on. */
export const privacySignal = (): unknown =>
  // biome-ignore lint/suspicious/noExplicitAny: globalPrivacyControl is not in lib.dom yet
  navigator.doNotTrack === '1' || (navigator as any).globalPrivacyControl;

/**
 * An origin on this machine: localhost, 127.x.x.x, [::1], or a file: page (whose origin is
 * "null", or "file://" in Safari). Takes `location.origin` or a collector URL.
 */
export const isLocal = (origin: string): boolean =>
  /\/\/(localhost|127\.[\d.]+|\[::1\])([:/]|$)|^(null|file)/.test(origin);
