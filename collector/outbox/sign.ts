/**
 * `X-Leadtrail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * The timestamp is signed with the body so a captured request cannot be replayed later:
 * receivers reject a `t` older than five minutes. `verifySignature` is what a receiver runs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Leadtrail-Signature';
export const DELIVERY_HEADER = 'X-Leadtrail-Delivery';
export const EVENT_HEADER = 'X-Leadtrail-Event';
export const TOLERANCE_SECONDS = 300;

const hmac = (secret: string, t: number, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

export const signatureHeader = (secret: string, body: string, nowMs: number): string => {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
};

export type Verification = { ok: true; t: number } | { ok: false; reason: string };

export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowMs: number,
  toleranceSeconds = TOLERANCE_SECONDS,
): Verification {
  const parts = new Map<string, string[]>();
  for (const part of (header ?? '').split(',')) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key && value) parts.set(key, [...(parts.get(key) ?? []), value]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t)) return { ok: false, reason: 'no timestamp' };
  if (Math.abs(nowMs / 1000 - t) > toleranceSeconds)
    return { ok: false, reason: 'timestamp outside tolerance' };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  // Several v1 values may be present while a secret is being rotated; any match will do.
  const match = (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true, t } : { ok: false, reason: 'signature mismatch' };
}
