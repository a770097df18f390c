/**
 * CORS for `/v1/*`, as on `/collect`: analytics.js posts cross-origin with an Authorization
 * header, so the browser asks first. The preflight is answered for the headers Segment's and
 * RudderStack's browser libraries send, and only for an origin some site allows (the key is not
 * in a preflight); the request itself then gets `Access-Control-Allow-Origin` only when its
 * origin is allowed for the site its key names (routes.ts refuses it otherwise).
 */
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../../config';

/** Headers the libraries send: analytics.js adds X-Retry-Count on retries; RudderStack AnonymousId. */
const ALLOWED_HEADERS = 'authorization, content-type, x-retry-count, anonymousid';

export const originAllowed = (config: Config, origin: string | undefined): origin is string =>
  !!origin && config.sites.some((site) => site.origins.includes(origin));

export function corsForSegment(config: Config): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      if (!originAllowed(config, origin)) return c.body(null, 403);
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Methods', 'POST');
      c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      c.header('Access-Control-Max-Age', '86400');
      c.header('Vary', 'Origin');
      return c.body(null, 204);
    }
    await next();
    if (!originAllowed(config, origin)) return;
    // An origin allowed for some site but refused for this key's site gets no ACAO.
    if (c.res.status === 403 && !c.res.headers.has('access-control-allow-origin')) return;
    c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After');
    c.res.headers.append('Vary', 'Origin');
  };
}
