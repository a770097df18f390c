/**
 * A body limit for every route that reads a body, enforced while the body arrives: the ingest
 * routes read theirs with their own limits (readBody in ingest/validate.ts); everything else —
 * the dashboard's sign-in and forms, the stage move, every /api write — is read here, under a
 * small limit, before any handler or body parser sees it. Over the limit the answer is a 413,
 * sent as soon as the limit is crossed, and the connection is closed (readBody sets
 * `Connection: close`), so a client streaming a body that never ends costs a few kilobytes.
 */
import type { MiddlewareHandler } from 'hono';
import { MAX_OUTCOMES_BODY } from './api/outcomes-body';
import { MAX_RULESET_BODY } from './api/scoring';
import { readBody } from './ingest/validate';

/** Dashboard forms and /api writes: a sign-in, a stage move with its reason. */
export const FORM_BODY_BYTES = 16 * 1024;

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Paths that read their own body under their own limits (spend imports stream a file). */
const readsOwnBody = (path: string) =>
  path === '/collect' || path.startsWith('/v1/') || path === '/api/spend';

/** Writes that carry more than a form: a CRM's outcomes, a ruleset or a draft. */
const LARGER: [prefix: string, maxBytes: number][] = [
  ['/api/outcomes', MAX_OUTCOMES_BODY],
  ['/api/scoring/', MAX_RULESET_BODY],
  ['/api/rulesets', MAX_RULESET_BODY],
];
const limitOf = (path: string, fallback: number) =>
  LARGER.find(([prefix]) => path.startsWith(prefix))?.[1] ?? fallback;

export function limitBody(maxBytes = FORM_BODY_BYTES): MiddlewareHandler {
  return async (c, next) => {
    if (NO_BODY.has(c.req.method) || readsOwnBody(c.req.path)) return next();
    const body = await readBody(c, limitOf(c.req.path, maxBytes));
    // The handlers read the buffered copy (Hono's own bodyLimit does the same).
    c.req.raw = new Request(c.req.url, {
      method: c.req.method,
      headers: c.req.raw.headers,
      ...(body.byteLength > 0 ? { body: body as Uint8Array<ArrayBuffer> } : {}),
    });
    return next();
  };
}
