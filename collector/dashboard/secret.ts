/**
 * The dashboard's signing key, derived from the admin key so there is nothing new to configure:
 * rotating the admin key signs everyone out, which is what rotating it should do.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const deriveSecret = (adminKey: string): Buffer =>
  createHmac('sha256', adminKey).update('leadtrail dashboard session v1').digest();

export const sign = (secret: Buffer, value: string): string =>
  createHmac('sha256', secret).update(value).digest('base64url');

/** Constant-time comparison of two strings of any length (hashing makes them equal length). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHmac('sha256', 'compare').update(a).digest();
  const hb = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(ha, hb);
}
