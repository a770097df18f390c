/** The signature scheme a receiver verifies, and the retry schedule's promise of ≥ 24 hours. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GIVE_UP_AFTER_MS, MAX_RETRY_MS, retryDelay, shouldGiveUp } from '../../collector/outbox/backoff';
import { signatureHeader, verifySignature } from '../../collector/outbox/sign';

const SECRET = 'whsec_test_0123456789abcdef';
const BODY = JSON.stringify({ event: 'contact.sql', contact: { email: 'ada@example.com' } });
const NOW = Date.UTC(2025, 5, 1, 12);

describe('X-Leadtrail-Signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    const t = Math.floor(NOW / 1000);
    const hex = createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${hex}`);
    expect(verifySignature(SECRET, header, BODY, NOW)).toEqual({ ok: true, t });
  });

  it('fails for a changed body, another secret, a missing header, or a timestamp older than 5 minutes', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    expect(verifySignature(SECRET, header, `${BODY} `, NOW)).toMatchObject({ ok: false });
    expect(verifySignature(`${SECRET}x`, header, BODY, NOW)).toMatchObject({ ok: false });
    expect(verifySignature(SECRET, undefined, BODY, NOW)).toMatchObject({ ok: false });
    expect(verifySignature(SECRET, header, BODY, NOW + 299_000)).toMatchObject({ ok: true });
    expect(verifySignature(SECRET, header, BODY, NOW + 301_000)).toEqual({
      ok: false,
      reason: 'timestamp outside tolerance',
    });
    // Re-using an old signature with a new timestamp does not verify.
    const forged = header.replace(/^t=\d+/, `t=${Math.floor(NOW / 1000) + 100}`);
    expect(verifySignature(SECRET, forged, BODY, NOW + 100_000)).toMatchObject({ ok: false });
  });
});

describe('retry schedule', () => {
  it('grows exponentially with jitter, capped at an hour', () => {
    expect(retryDelay(1, () => 0)).toBe(15_000);
    expect(retryDelay(1, () => 1)).toBe(30_000);
    expect(retryDelay(2, () => 1)).toBe(60_000);
    expect(retryDelay(5, () => 1)).toBe(480_000);
    expect(retryDelay(30, () => 1)).toBe(MAX_RETRY_MS);
    expect(retryDelay(30, () => 0)).toBe(MAX_RETRY_MS / 2);
  });

  it('keeps retrying for at least 24 hours, even with the shortest jitter', () => {
    let elapsed = 0;
    let attempts = 0;
    while (!shouldGiveUp(0, elapsed)) {
      attempts++;
      elapsed += retryDelay(attempts, () => 0);
    }
    expect(GIVE_UP_AFTER_MS).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(elapsed).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(attempts).toBeGreaterThan(20);
  });
});
