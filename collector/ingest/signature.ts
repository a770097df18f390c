/**
 * Signed identity. On a site with an `identity_secret`, naming a person from a public key needs a
 * token from the site's backend: a JWT (HS256, signed with the secret) whose claims bind it to what
 * it proves, in the manner of Intercom's identity verification in JWT mode:
 *   sub    the user: the email or user id being identified (required)
 *   site   the site's public key (required: a token for one site is useless on another)
 *   exp    expiry, Unix seconds (optional, recommended: a token copied from a page stops working)
 *   anon   the visitor's anonymous id (optional: the token then works from that browser only)
 *   email  the user's email when `sub` is a user id (optional: proves the email too)
 * A plain HMAC of the user (what earlier versions accepted) is refused: it never expires and works
 * from any anonymous id on any site sharing the secret, so one copy of it claims the person forever.
 * Messages sent with a server key need no token: the key itself is the site's backend speaking.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WireEvent } from '../../shared/events';
import { AppError } from '../errors';
import { isEmail, normaliseEmail } from '../scoring/core/email';
import type { Trust } from './keys';

export interface IdentityClaims {
  sub: string;
  site: string;
  exp?: number;
  anon?: string;
  email?: string;
}

/** A token longer than this is refused before it is decoded. */
export const MAX_TOKEN_LENGTH = 2048;
/** Clock leeway for `exp`, as JWT libraries allow. */
const LEEWAY_S = 60;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const mac = (secret: string, input: string) => createHmac('sha256', secret).update(input).digest();

/** What the site's backend does (any JWT library does the same): for tests and the README recipe. */
export function signIdentity(secret: string, claims: IdentityClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${payload}.${mac(secret, `${HEADER}.${payload}`).toString('base64url')}`;
}

export type Verdict = { ok: true; claims: IdentityClaims } | { ok: false; reason: string };

const fail = (reason: string): Verdict => ({ ok: false, reason });

/** Same person: emails compare case-insensitively, user ids exactly (both trimmed). */
export function sameUser(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  return isEmail(x) && isEmail(y) ? normaliseEmail(x) === normaliseEmail(y) : x === y;
}

/** Checks the token's signature, algorithm, site and expiry; the caller checks what it names. */
export function verifyIdentityToken(
  secret: string,
  token: string | undefined | null,
  expected: { site: string; now: number },
): Verdict {
  if (!token) return fail('missing signature');
  if (token.length > MAX_TOKEN_LENGTH) return fail('signature too long');
  const parts = token.split('.');
  if (parts.length !== 3) return fail('signature must be a JWT (header.payload.signature)');
  const [header, payload, signature] = parts as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(secret, `${header}.${payload}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return fail('bad signature');
  let head: unknown;
  let claims: unknown;
  try {
    head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return fail('signature is not valid JSON');
  }
  if ((head as { alg?: unknown } | null)?.alg !== 'HS256') return fail('signature algorithm must be HS256');
  if (typeof claims !== 'object' || claims === null) return fail('claims must be an object');
  const c = claims as Record<string, unknown>;
  if (typeof c.sub !== 'string' || c.sub.trim() === '') return fail('claim sub (the user) is required');
  if (c.site !== expected.site) return fail(`claim site must be ${expected.site}`);
  if (c.exp !== undefined) {
    if (typeof c.exp !== 'number') return fail('claim exp must be a number (Unix seconds)');
    if (c.exp + LEEWAY_S < expected.now / 1000) return fail('signature expired');
  }
  if (c.anon !== undefined && typeof c.anon !== 'string') return fail('claim anon must be a string');
  if (c.email !== undefined && typeof c.email !== 'string') return fail('claim email must be a string');
  return { ok: true, claims: c as unknown as IdentityClaims };
}

/** Does a verified token prove `user`, named from `anon`? */
export function proves(claims: IdentityClaims, user: string, anon: string | undefined | null): boolean {
  if (claims.anon !== undefined && claims.anon !== anon) return false;
  return sameUser(claims.sub, user) || (claims.email !== undefined && sameUser(claims.email, user));
}

/**
 * `/collect`: per event, whether its identify is proven. On a site with a secret, an identify
 * from the public key without a token proving its user refuses the whole batch (403).
 */
export function checkSignatures(
  site: { key: string; identity_secret?: string | undefined },
  events: WireEvent[],
  trust: Trust = 'public',
  now: number = Date.now(),
): boolean[] {
  return events.map((event, i) => {
    if (event.type !== 'identify' || !event.user) return false;
    if (trust === 'server') return true;
    if (!site.identity_secret) return false;
    const verdict = verifyIdentityToken(site.identity_secret, event.hmac, { site: site.key, now });
    if (verdict.ok && proves(verdict.claims, event.user, event.anon)) return true;
    const reason = verdict.ok ? 'signature does not name this user from this anonymous id' : verdict.reason;
    throw new AppError(
      403,
      'forbidden',
      `events.${i}.hmac: identify must carry a signature from the site's backend (${reason})`,
      `events.${i}.hmac`,
    );
  });
}
