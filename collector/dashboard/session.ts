/**
 * The session cookie: `payload.signature`, HMAC-signed, HttpOnly, SameSite=Lax, Secure over
 * HTTPS, scoped to /dashboard. Stateless on purpose (no table, works across processes); the
 * payload names the credential by fingerprint and carries the CSRF token for the session.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Role } from '../roles';
import type { Credential } from './credentials';
import { safeEqual, sign } from './secret';

export const SESSION_COOKIE = 'lt_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface Session {
  name: string;
  role: Role;
  kind: Credential['kind'];
  /** Which credential signed in (a fingerprint, not the secret). */
  fingerprint: string;
  /** Per-session token that every state-changing form must echo back. */
  csrf: string;
  expires: number;
}

interface Claims {
  /** Credential fingerprint. */
  f: string;
  /** CSRF token. */
  t: string;
  /** Expiry, ms since epoch. */
  e: number;
}

export const newToken = () => randomBytes(24).toString('base64url');

/** HTTPS directly, or behind a proxy we were told to trust that says so. */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

export function cookieOptions(c: Context, trustProxy: boolean, maxAgeSeconds?: number) {
  return {
    path: '/dashboard',
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: isHttps(c, trustProxy),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

export function encodeSession(secret: Buffer, credential: Credential, now: number): string {
  const claims: Claims = { f: credential.fingerprint, t: newToken(), e: now + SESSION_TTL_MS };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The session in a cookie value, or null when it is missing, forged, expired or its credential is gone. */
export function decodeSession(
  secret: Buffer,
  value: string | undefined,
  credentials: readonly Credential[],
  now: number,
): Session | null {
  if (!value) return null;
  const [payload, signature, extra] = value.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  if (!safeEqual(sign(secret, payload), signature)) return null;
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return null;
  }
  if (typeof claims.e !== 'number' || claims.e <= now || typeof claims.t !== 'string') return null;
  const credential = credentials.find((c) => c.fingerprint === claims.f);
  if (!credential) return null;
  return {
    name: credential.name,
    role: credential.role,
    kind: credential.kind,
    fingerprint: credential.fingerprint,
    csrf: claims.t,
    expires: claims.e,
  };
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, value: string, trustProxy: boolean): void {
  setCookie(c, SESSION_COOKIE, value, cookieOptions(c, trustProxy, SESSION_TTL_MS / 1000));
}

export function clearSessionCookie(c: Context, trustProxy: boolean): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c, trustProxy));
}
