/**
 * Signed identify: when a site has an `identity_secret`, an identify must carry
 * hmac = HMAC-SHA256(secret, user) computed by the site's backend, or the batch is refused.
 * Without a secret, identify is accepted unsigned (and can never take over a verified contact).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WireEvent } from '../../shared/events';
import type { SiteConfig } from '../config';
import { AppError } from '../errors';

export const identifyHmac = (secret: string, user: string): string =>
  createHmac('sha256', secret).update(user.trim()).digest('hex');

export function verifyHmac(secret: string, user: string, hmac: string | undefined): boolean {
  if (!hmac || !/^[0-9a-f]{64}$/i.test(hmac)) return false;
  const expected = Buffer.from(identifyHmac(secret, user), 'hex');
  return timingSafeEqual(expected, Buffer.from(hmac.toLowerCase(), 'hex'));
}

/** Returns, per event index, whether its identify was proven; throws 403 on a bad or missing signature. */
export function checkSignatures(site: SiteConfig, events: WireEvent[]): boolean[] {
  return events.map((event, i) => {
    if (event.type !== 'identify' || !event.user) return false;
    if (!site.identity_secret) return false;
    if (verifyHmac(site.identity_secret, event.user, event.hmac)) return true;
    throw new AppError(
      403,
      'forbidden',
      `events.${i}.hmac: identify must be signed with the site's identity secret`,
      `events.${i}.hmac`,
    );
  });
}
