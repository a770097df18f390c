/**
 * Rate limits that hold: the client address behind proxies is the right-most untrusted
 * X-Forwarded-For entry (or the entry a configured hop count away), never the left-most one the
 * client writes itself; IPv6 clients are limited per /64; the Segment endpoints have a per-IP
 * limit and buckets of their own, so a noisy server-side source cannot make visitors' beacons
 * 429; failed API keys are throttled like failed dashboard sign-ins.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIp, clientKey, type ProxySettings } from '../../collector/ingest/client';
import { batchOf, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_ADMIN_KEY, TEST_SITE, type TestCollector } from '../helpers/server';

const basic = `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`;

/** The address clientIp picks for a request from `socket` carrying this X-Forwarded-For. */
async function pick(proxy: ProxySettings, socket: string, forwarded?: string): Promise<string | null> {
  const app = new Hono();
  app.get('/', (c) => c.json({ ip: clientIp(c, proxy) }));
  const incoming = { socket: { remoteAddress: socket, remotePort: 1, remoteFamily: 'IPv4' } };
  const headers: Record<string, string> = forwarded === undefined ? {} : { 'x-forwarded-for': forwarded };
  const response = await app.request('/', { headers }, { incoming });
  return ((await response.json()) as { ip: string | null }).ip;
}

describe('the client address', () => {
  it('ignores X-Forwarded-For unless trust_proxy is set', async () => {
    expect(await pick({ trustProxy: false }, '203.0.113.7', '1.1.1.1')).toBe('203.0.113.7');
  });

  it.each([
    ['one proxy appended the client', '1.1.1.1, 203.0.113.7', '203.0.113.7'],
    ['the client wrote a private address of its own', '10.9.9.9, 203.0.113.7', '203.0.113.7'],
    ['two proxies of ours, the inner one private', '6.6.6.6, 203.0.113.7, 10.0.0.9', '203.0.113.7'],
    ['an IPv6 client', 'spoofed, 2001:db8::5', '2001:db8::5'],
    ['a malformed entry ends the chain', '1.1.1.1, not-an-ip', '10.0.0.2'],
    ['no header', undefined, '10.0.0.2'],
  ])('trust_proxy true, %s: the right-most untrusted entry', async (_name, forwarded, expected) => {
    expect(await pick({ trustProxy: true }, '10.0.0.2', forwarded)).toBe(expected);
  });

  it('with a hop count, the entry that many hops from the socket, whatever it is', async () => {
    const forwarded = '1.1.1.1, 203.0.113.7, 198.51.100.1';
    expect(await pick({ trustProxy: true, proxyHops: 1 }, '198.51.100.9', forwarded)).toBe('198.51.100.1');
    expect(await pick({ trustProxy: true, proxyHops: 2 }, '198.51.100.9', forwarded)).toBe('203.0.113.7');
    // Fewer entries than hops: the farthest there is.
    expect(await pick({ trustProxy: true, proxyHops: 5 }, '198.51.100.9', '203.0.113.7')).toBe('203.0.113.7');
  });

  it('is keyed per IPv4 address and per IPv6 /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});

describe('limits on a real collector', () => {
  let server: TestCollector;
  let proxied: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      file: {
        trust_proxy: 1,
        rate_limit: {
          per_site_per_minute: 10,
          per_ip_per_minute: 3,
          server_per_site_per_minute: 10,
          server_per_ip_per_minute: 5,
        },
      },
    });
    proxied = await startCollector({
      file: { trust_proxy: true, rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 3 } },
    });
  });
  afterAll(async () => {
    await server.close();
    await proxied.close();
  });

  const beacon = (target: TestCollector, forwarded: string) =>
    postBatch(target.url, batchOf([pageView('anon-rate', 'http://localhost:1/')]), {
      'x-forwarded-for': forwarded,
    });
  const track = (forwarded: string) =>
    fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic, 'x-forwarded-for': forwarded },
      body: JSON.stringify({ anonymousId: 'server-anon', event: 'x' }),
    });

  it('a client rotating the left-most X-Forwarded-For entry is still one client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await beacon(proxied, `1.1.1.${i}, 203.0.113.50`)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
  });

  it('limits IPv6 clients per /64, whichever address of it they use', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await beacon(server, `2001:db8:aa:1::${i}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const other = await beacon(server, '2001:db8:aa:2::1');
    expect(other.status).toBe(202);
    expect(
      Number((await beacon(server, '2001:db8:aa:1:ffff::9')).headers.get('retry-after')),
    ).toBeGreaterThan(0);
  });

  it('gives /v1/* a per-IP limit and buckets of its own: a noisy server source does not 429 the beacons', async () => {
    const statuses: number[] = [];
    // Per IP: five a minute from one server.
    for (let i = 0; i < 6; i++) statuses.push((await track('198.51.100.20')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // Per site (ten a minute for servers): two more servers use it up…
    for (let i = 0; i < 5; i++) await track('198.51.100.21');
    const last = await track('198.51.100.22');
    expect(last.status).toBe(429);
    // …and visitors' beacons, in the browsers' own bucket, still land.
    const beacons = await Promise.all([1, 2, 3].map((i) => beacon(server, `203.0.113.${100 + i}`)));
    expect(beacons.map((r) => r.status)).toEqual([202, 202, 202]);
  });

  it('throttles failed API keys like failed sign-ins: 429 after ten, while another client carries on', async () => {
    const attempt = (key: string, forwarded: string) =>
      fetch(`${server.url}/api/leads`, {
        headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': forwarded },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await attempt(`sk_guess_${i}_0123456789abcdef`, '192.0.2.66')).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const throttled = await attempt('sk_guess_last_0123456789abcdef', '192.0.2.66');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right key waits out the window from that client, as at the sign-in form.
    expect((await attempt(TEST_ADMIN_KEY, '192.0.2.66')).status).toBe(429);
    expect((await attempt(TEST_ADMIN_KEY, '192.0.2.67')).status).toBe(200);
  });
});
