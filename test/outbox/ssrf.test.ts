/**
 * The SSRF guard: private, loopback and link-local targets refused when the config loads and
 * again at delivery (after DNS), unless the webhook sets allow_private.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../collector/config';
import { deliver } from '../../collector/outbox/deliver';
import { isPrivateAddress, privateUrlReason, publicOnlyLookup } from '../../collector/outbox/ssrf';
import { startReceiver, WEBHOOK_SECRET } from './receiver';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '[::1]',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  // Ranges that reach IPv4 (or a private network) through IPv6: NAT64 local-use, 6to4,
  // site-local and IPv4-compatible addresses, even when the IPv4 inside is public.
  it.each([
    '64:ff9b:1::a00:1',
    '64:ff9b:1::808:808',
    '2002:a00:1::1',
    '2002:808:808::1',
    'fec0::1',
    'feff:1::1',
    '::10.0.0.1',
    '::8.8.8.8',
    '::a00:1',
    '0:0:0:0:0:0:7f00:1',
  ])('%s is refused (tunnels and deprecated ranges)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
    expect(privateUrlReason(`https://[${address}]/hook`)).toMatch(/private/);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::6810:84e5',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808', // well-known NAT64 prefix to a public address
    '2001:db9::1',
  ])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

const configWith = (webhook: Record<string, unknown>) =>
  loadConfig({
    env: { LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef', DATABASE_URL: ':memory:' },
    file: {
      sites: [{ key: 'pk_test', origins: ['https://site.test'] }],
      webhooks: [{ secret: WEBHOOK_SECRET, ...webhook }],
    },
  });

describe('webhook URLs in the config', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://api.localhost/hook',
    'http://[::1]:9000/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.5/hook',
    'https://192.168.0.10/hook',
  ])('refuses %s, naming the field', (url) => {
    expect(() => configWith({ url })).toThrow(ConfigError);
    try {
      configWith({ url });
    } catch (error) {
      expect((error as ConfigError).field).toBe('webhooks.0.url');
      expect((error as Error).message).toMatch(/allow_private/);
    }
  });

  it('accepts a private URL with allow_private, and a public one without', () => {
    expect(
      configWith({ url: 'http://127.0.0.1:8080/hook', allow_private: true }).webhooks[0]!.allow_private,
    ).toBe(true);
    expect(configWith({ url: 'https://hooks.example.com/leadtrail' }).webhooks).toHaveLength(1);
  });
});

describe('at delivery', () => {
  it('a name that resolves to loopback is refused after DNS, and nothing is sent', async () => {
    const receiver = await startReceiver();
    try {
      const port = new URL(receiver.url).port;
      const result = await deliver(
        // Built directly: the config would already refuse this name (see above).
        {
          url: `http://localhost:${port}/hooks/leadtrail`,
          secret: WEBHOOK_SECRET,
          events: ['contact.sql'],
          allow_private: false,
        },
        { id: 'dlv_1', event: 'contact.sql', attempt: 1, body: '{}', now: Date.now() },
      );
      expect(result).toMatchObject({ kind: 'failed', reason: 'private_address' });
      expect(receiver.received).toHaveLength(0);

      const literal = await deliver(
        { url: receiver.url, secret: WEBHOOK_SECRET, events: ['contact.sql'], allow_private: false },
        { id: 'dlv_2', event: 'contact.sql', attempt: 1, body: '{}', now: Date.now() },
      );
      expect(literal).toMatchObject({ kind: 'failed', reason: 'private_address' });
      expect(receiver.received).toHaveLength(0);

      const allowed = await deliver(
        { url: receiver.url, secret: WEBHOOK_SECRET, events: ['contact.sql'], allow_private: true },
        { id: 'dlv_3', event: 'contact.sql', attempt: 1, body: '{}', now: Date.now() },
      );
      expect(allowed).toEqual({ kind: 'delivered', status: 200 });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('the guarded lookup refuses every private answer', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      publicOnlyLookup('localhost', { all: false }, (err) => resolve(err)),
    );
    expect(error?.message).toMatch(/resolves to (127\.0\.0\.1|::1),.*not allowed/);
  });
});
