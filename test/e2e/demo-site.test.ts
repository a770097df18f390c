/**
 * The demo site in headless Chromium, served by a real collector with the real script: every
 * page loads without script errors, every internal link resolves, and the newsletter, the gated
 * whitepaper (with its PDF download), the demo request and the chat widget all reach the
 * database as the events the scoring rules expect.
 */
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, newContext, scriptErrors } from '../helpers/browser';
import type { TestCollector } from '../helpers/server';
import { startDemoCollector } from '../simulate/demo-collector';
import { until } from './sdk-helpers';

const SHOTS = resolve(import.meta.dirname, '../../test-results/demo-site');

let collector: TestCollector;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!hasChromium()) return;
  collector = await startDemoCollector();
  browser = await launchChromium({ human: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await collector?.close();
});

async function visitor(): Promise<{ page: Page; errors: string[] }> {
  const context = await newContext(browser, true);
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: scriptErrors(page) };
}

const flush = (page: Page) =>
  page.evaluate(() => (window as unknown as { leadtrail: (m: string) => void }).leadtrail('flush'));

const eventsOf = (email: string) =>
  collector.services.db
    .selectFrom('events')
    .innerJoin('contacts', 'contacts.id', 'events.contact_id')
    .select(['events.type', 'events.name', 'events.path', 'events.props', 'events.bot', 'events.url'])
    .where('contacts.email', '=', email)
    .execute();

describe.skipIf(!hasChromium())('demo site in Chromium', () => {
  it('loads every page without errors, and every internal link resolves', async () => {
    const { page, errors } = await visitor();
    const base = collector.url;
    const queue = ['/'];
    const seen = new Set(queue);
    const files: string[] = [];
    while (queue.length > 0) {
      const path = queue.shift()!;
      const response = await page.goto(`${base}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await page.locator('.chat-launcher').count(), `chat widget on ${path}`).toBe(1);
      expect(
        await page.locator('footer form#newsletter input[type=email]').count(),
        `newsletter on ${path}`,
      ).toBe(1);
      const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => (a as HTMLAnchorElement).href));
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== base) continue;
        const target = url.pathname;
        if (seen.has(target)) continue;
        seen.add(target);
        (/\.[a-z0-9]+$/i.test(target) ? files : queue).push(target);
      }
    }
    for (const file of files) {
      const response = await fetch(`${base}${file}`);
      expect(response.status, file).toBe(200);
    }
    expect([...seen]).toEqual(
      expect.arrayContaining([
        '/',
        '/features',
        '/pricing',
        '/blog/',
        '/careers',
        '/whitepaper',
        '/demo',
        '/files/whitepaper.pdf',
      ]),
    );
    expect(seen.size).toBeGreaterThanOrEqual(11);
    expect(errors).toEqual([]);
  });

  it('has a newsletter sign-up in every footer that identifies the visitor without leaving the page', async () => {
    const { page, errors } = await visitor();
    const email = 'nina.news@northwind-readers.com';
    await page.goto(`${collector.url}/blog/pipeline-slos`);
    await page.fill('#newsletter input[name=email]', email);
    await page.click('#newsletter button[type=submit]');
    await expect.poll(() => page.locator('#newsletter + .thanks').isVisible()).toBe(true);
    expect(page.url()).toBe(`${collector.url}/blog/pipeline-slos`);
    await flush(page);
    const events = await until('the newsletter sign-up', async () => {
      const rows = await eventsOf(email);
      return rows.some((r) => r.name === 'form_submit') && rows.some((r) => r.type === 'identify')
        ? rows
        : undefined;
    });
    const signup = events.find((r) => r.name === 'form_submit')!;
    expect(JSON.parse(signup.props!)).toMatchObject({ form: 'newsletter' });
    // The page view before the sign-up is stitched to the person.
    expect(events.some((r) => r.type === 'page' && r.path === '/blog/pipeline-slos')).toBe(true);
    expect(events.every((r) => r.bot === 0)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('gates the whitepaper: the form identifies with traits, then the PDF link counts as a download', async () => {
    const { page, errors } = await visitor();
    const email = 'omar.fit@gringotts-payments.com';
    await page.goto(
      `${collector.url}/whitepaper?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q4-field-guide`,
    );
    await expect.poll(() => page.locator('#whitepaper-download').isVisible()).toBe(false);
    await page.fill('#wp-name', 'Omar Fit');
    await page.fill('#wp-email', email);
    await page.fill('#wp-company', 'Gringotts Payments');
    await page.fill('#wp-title', 'VP of Data');
    await page.selectOption('#wp-size', '250-999');
    await page.click('#whitepaper-form button[type=submit]');
    await expect.poll(() => page.locator('#whitepaper-download').isVisible()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#whitepaper-download')]);
    expect(download.suggestedFilename()).toBe('northwind-schema-drift-field-guide.pdf');
    await flush(page);

    const events = await until('the whitepaper download', async () => {
      const rows = await eventsOf(email);
      return rows.some((r) => r.name === 'download') ? rows : undefined;
    });
    expect(JSON.parse(events.find((r) => r.name === 'form_submit')!.props!)).toMatchObject({
      form: 'whitepaper-form',
    });
    expect(JSON.parse(events.find((r) => r.name === 'download')!.props!).url).toBe(
      `${collector.url}/files/whitepaper.pdf`,
    );
    const contact = await collector.services.db
      .selectFrom('contacts')
      .select(['name', 'company', 'title', 'source', 'traits'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      name: 'Omar Fit',
      company: 'Gringotts Payments',
      title: 'VP of Data',
      source: 'linkedin',
    });
    expect(JSON.parse(contact.traits)).toMatchObject({ company_size: '250-999' });
    expect(errors).toEqual([]);
  });

  it('requests a demo through the API calls of demo.js, and the chat widget raises leadtrail:chat', async () => {
    const { page, errors } = await visitor();
    const email = 'dana.buyer@stark-retail.com';
    await page.goto(`${collector.url}/pricing`);
    await page.click('.chat-launcher');
    await page.fill('.chat-form input', 'Can I talk to someone about the Business plan?');
    await page.press('.chat-form input', 'Enter');
    await page.fill('.chat-form input', `Sure, it is ${email}`);
    await page.press('.chat-form input', 'Enter');
    await expect.poll(() => page.locator('.chat-msg.bot').count()).toBeGreaterThanOrEqual(3);

    await page.click('a.btn[href="/demo"]');
    await page.waitForURL(`${collector.url}/demo`);
    await page.fill('#d-name', 'Dana Buyer');
    await page.fill('#d-email', email);
    await page.fill('#d-company', 'Stark Retail');
    await page.fill('#d-title', 'Director of Analytics');
    await page.selectOption('#d-size', '250-999');
    await page.fill('#d-use', 'Postgres into Snowflake');
    await page.click('#demo-form button[type=submit]');
    await expect.poll(() => page.locator('#demo-form + .thanks').isVisible()).toBe(true);
    await flush(page);

    const events = await until('the demo request', async () => {
      const rows = await eventsOf(email);
      return rows.some((r) => r.name === 'demo_requested') ? rows : undefined;
    });
    const chat = events.filter((r) => r.name === 'chat').map((r) => JSON.parse(r.props!).action);
    expect(chat).toEqual(expect.arrayContaining(['open', 'message', 'email']));
    expect(JSON.parse(events.find((r) => r.name === 'demo_requested')!.props!)).toMatchObject({
      form: 'demo',
      company_size: '250-999',
      use_case: 'Postgres into Snowflake',
    });
    // The demo form is data-lt-ignore: demo.js identifies explicitly, so there is no form_submit for it.
    expect(events.filter((r) => r.name === 'form_submit')).toEqual([]);
    expect(events.some((r) => r.type === 'page' && JSON.parse(r.props ?? '{}').pricing === true)).toBe(true);
    expect(events.every((r) => r.bot === 0)).toBe(true);
    const contact = await until('the SQL stage', async () => {
      const row = await collector.services.db
        .selectFrom('contacts')
        .select(['stage', 'name', 'company'])
        .where('email', '=', email)
        .executeTakeFirst();
      return row?.stage === 'sql' ? row : undefined;
    });
    expect(contact).toMatchObject({ name: 'Dana Buyer', company: 'Stark Retail' });
    expect(errors).toEqual([]);
  });

  it('reads well on a laptop and a phone (screenshots saved as test artifacts)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { page } = await visitor();
    for (const [name, width, height] of [
      ['home-desktop', 1280, 900],
      ['pricing-desktop', 1280, 900],
      ['home-phone', 390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${collector.url}${name.startsWith('pricing') ? '/pricing' : '/'}`);
      // Nothing overflows sideways at this width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const file = resolve(SHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
  });
});
