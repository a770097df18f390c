/**
 * "My leads" in Chromium: an owner signs in, follows the nav link, and sees only the leads routed
 * to them; the contact page shows the owner and the routing reason.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../helpers/browser';
import { batchOf, identifyEvent, postBatch, trackEvent } from '../helpers/events';
import { startCollector, type TestCollector } from '../helpers/server';

const ANA = { user: 'ana', password: 'a long password for ana' };

describe.skipIf(!hasChromium())('My leads in Chromium', () => {
  let collector: TestCollector;
  let browser: Browser;
  beforeAll(async () => {
    collector = await startCollector({
      file: {
        dashboard: { users: [ANA] },
        owners: [
          { id: 'ana', name: 'Ana', email: 'ana@sales.example', territories: [{ countries: ['DE'] }] },
          { id: 'ben', name: 'Ben', email: 'ben@sales.example' },
        ],
      },
    });
    for (const [n, country] of [
      [1, 'DE'],
      [2, 'FR'],
      [3, 'DE'],
    ] as const) {
      const anon = `anon-my-${n}`;
      const res = await postBatch(
        collector.url,
        batchOf([
          identifyEvent(anon, `lead${n}@company${n}.com`, { name: `Lead ${n}`, country }),
          trackEvent(anon, 'demo_requested'),
        ]),
      );
      expect(res.status).toBe(202);
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('shows the signed-in owner only their leads, and the owner on the contact page', async () => {
    const page = await browser.newPage();
    await page.goto(`${collector.url}/dashboard`);
    await page.fill('input[name=user]', ANA.user);
    await page.fill('input[name=password]', ANA.password);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${collector.url}/dashboard`);
    await expect.poll(() => page.locator('#leads tbody tr').count()).toBe(3);

    await page.click('nav a:has-text("My leads")');
    await page.waitForURL(`${collector.url}/dashboard?owner=ana`);
    const rows = page.locator('#leads tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const text = (await rows.allTextContents()).join(' ');
    expect(text).toContain('lead1@company1.com');
    expect(text).toContain('lead3@company3.com');
    expect(text).not.toContain('lead2@company2.com');

    await rows.first().locator('a').first().click();
    await page.waitForURL(/\/dashboard\/contacts\//);
    expect(await page.locator('#owner-id').textContent()).toBe('ana');
    expect(await page.locator('#owner-reason').textContent()).toBe('routed to Ana: territory DE, weight 1');
    await page.close();
  });
});
