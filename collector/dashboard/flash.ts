/**
 * One-shot messages across a POST → redirect → GET ("Moved to SQL", "A reason is required").
 * Signed, so another site cannot plant text in our pages through the cookie.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { safeEqual, sign } from './secret';
import { cookieOptions } from './session';

const FLASH_COOKIE = 'lt_flash';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export function setFlash(c: Context, secret: Buffer, flash: Flash, trustProxy: boolean): void {
  const payload = Buffer.from(JSON.stringify(flash)).toString('base64url');
  setCookie(c, FLASH_COOKIE, `${payload}.${sign(secret, payload)}`, cookieOptions(c, trustProxy, 60));
}

/** Reads and clears the flash message, if there is a valid one. */
export function takeFlash(c: Context, secret: Buffer, trustProxy: boolean): Flash | null {
  const value = getCookie(c, FLASH_COOKIE);
  if (!value) return null;
  deleteCookie(c, FLASH_COOKIE, cookieOptions(c, trustProxy));
  const [payload, signature] = value.split('.');
  if (!payload || !signature || !safeEqual(sign(secret, payload), signature)) return null;
  try {
    const flash = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flash;
    if ((flash.kind !== 'ok' && flash.kind !== 'error') || typeof flash.text !== 'string') return null;
    return { kind: flash.kind, text: flash.text.slice(0, 500) };
  } catch {
    return null;
  }
}
