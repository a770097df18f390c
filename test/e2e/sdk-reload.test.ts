/**
 * Delivery through an outage, in real Chromium: the collector stops, the page keeps tracking,
 * the visitor reloads while it is down (the queue lives in localStorage, the unload beacon goes
 * nowhere), the collector comes back on the same address and database, and every queued event
 * arrives exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, newContext } from '../helpers/browser';
import { startCollector, type TestCollector } from '../helpers/server';
import { type FixtureServer, startFixtures } from './fixtures/server';
import { anonOf, eventsOf, leadtrail, until } from './sdk-helpers';

if (!hasChromium())
  console.warn('SDK browser tests skipped: no Chromium at /usr/bin/chromium (or CHROMIUM_PATH)');

describe.skipIf(!hasChromium())('lt.js through a collector outage', () => {
  let dir: string;
  let fixtures: FixtureServer;
  let collector: TestCollector | undefined;
  /** Where the collector is (also while it is down: the pages keep pointing there). */
  let collectorUrl = '';
  let browser: Browser;

  /** Starts the collector on `port` (0: any), always on the same database file. */
  const start = (port = 0) =>
    startCollector({
      origins: [fixtures.origin],
      env: { DATABASE_URL: join(dir, 'outage.db'), ...(port ? { PORT: String(port) } : {}) },
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrail-sdk-outage-'));
    fixtures = await startFixtures(() => collectorUrl);
    collector = await start();
    collectorUrl = collector.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await fixtures?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const queued = (page: Page) =>
    page.evaluate(() =>
      (JSON.parse(localStorage.getItem('_lt_q') ?? '[]') as [{ name?: string; type: string }][]).map(
        ([event]) => event.name ?? event.type,
      ),
    );

  it('delivers every queued event exactly once after a reload with the collector down', {
    timeout: 90_000,
  }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${fixtures.origin}/plain.html`);
    await leadtrail(page, 'track', 'online');
    await leadtrail(page, 'flush');
    const anon = await anonOf(page);
    await until('the first page view', async () => {
      const rows = await eventsOf(collector!, anon);
      return rows.some((e) => e.name === 'online') ? rows : undefined;
    });

    // The collector goes away.
    const port = collector!.port;
    await collector!.close();
    collector = undefined;
    await leadtrail(page, 'track', 'offline_1', { n: 1 });
    await leadtrail(page, 'track', 'offline_2', { n: 2 });
    await leadtrail(page, 'flush');
    // The request fails and the events wait in localStorage, retried with backoff.
    await expect.poll(() => queued(page), { timeout: 10_000 }).toEqual(['offline_1', 'offline_2']);
    await page.waitForTimeout(1500);

    // The visitor reloads while the collector is still down.
    await page.reload();
    expect(await queued(page)).toEqual(expect.arrayContaining(['offline_1', 'offline_2']));

    // The collector comes back on the same address and database; the visitor's next page sends
    // the queue (the unload beacons went nowhere, and were not trusted: the collector was failing).
    collector = await start(port);
    await page.reload();
    await leadtrail(page, 'flush');
    const rows = await until(
      'the queued events',
      async () => {
        const r = await eventsOf(collector!, anon);
        return r.some((e) => e.name === 'offline_1') && r.some((e) => e.name === 'offline_2') ? r : undefined;
      },
      20_000,
    );
    await expect.poll(() => queued(page), { timeout: 15_000 }).toEqual([]);
    await page.waitForTimeout(1000);

    const all = await eventsOf(collector, anon);
    const count = (name: string) => all.filter((e) => e.name === name).length;
    expect(count('online')).toBe(1);
    expect(count('offline_1')).toBe(1);
    expect(count('offline_2')).toBe(1);
    expect(JSON.parse(rows.find((e) => e.name === 'offline_2')!.props!)).toEqual({ n: 2 });
    // One page view per page load that had lt.js: the first, possibly the one while the
    // collector was down (if the browser ran lt.js from its cache), and the last; none twice.
    const pageIds = all.filter((e) => e.type === 'page').map((e) => e.id);
    expect(new Set(pageIds).size).toBe(pageIds.length);
    expect(pageIds.length).toBeGreaterThanOrEqual(2);
    expect(pageIds.length).toBeLessThanOrEqual(3);
    await context.close();
  });
});
