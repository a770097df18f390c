/**
 * CSRF protection for every POST under /dashboard, two independent checks:
 * 1. the request comes from our own origin (Origin header, or Referer when Origin is absent;
 *    browsers send Origin on every cross-site form POST, so a forged one always carries it);
 * 2. the form echoes the per-session token (`_csrf`) that only our own pages know.
 */
import type { Context } from 'hono';
import { safeEqual } from './secret';

export const CSRF_FIELD = '_csrf';

function expectedOrigins(c: Context, trustProxy: boolean): string[] {
  const own = new URL(c.req.url).origin;
  if (!trustProxy) return [own];
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() ?? c.req.header('host');
  return proto && host ? [own, `${proto}://${host}`] : [own];
}

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** False when the request says it comes from another site (or from an opaque `null` origin). */
export function isSameOrigin(c: Context, trustProxy: boolean): boolean {
  const origin = c.req.header('origin');
  const referer = c.req.header('referer');
  const claimed = origin !== undefined ? origin : referer !== undefined ? originOf(referer) : undefined;
  // Neither header: not a browser form post (a browser always sends Origin on POST); the token decides.
  if (claimed === undefined) return true;
  if (claimed === null || claimed === 'null') return false;
  return expectedOrigins(c, trustProxy).includes(claimed);
}

/** The `_csrf` field of a urlencoded or multipart form, or undefined. */
export async function formToken(c: Context): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    return undefined;
  }
  const body = await c.req.parseBody();
  const token = body[CSRF_FIELD];
  return typeof token === 'string' ? token : undefined;
}

export async function isValidPost(c: Context, expectedToken: string, trustProxy: boolean): Promise<boolean> {
  if (!isSameOrigin(c, trustProxy)) return false;
  const token = await formToken(c);
  return token !== undefined && safeEqual(token, expectedToken);
}
