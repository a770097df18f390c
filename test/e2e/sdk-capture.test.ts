/**
 * The script tag in real Chromium against the real collector: lt.js loaded from the collector
 * by a page on another origin, events checked in the collector's database. Single-page-app
 * navigation, a PDF download, a form sign-up, a home-made chat bot and a chat vendor arriving late.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../sdk/capture/pageviews';
import { hasChromium, launchChromium, newContext, scriptErrors } from '../helpers/browser';
import { anonOf, eventsOf, leadtrail, type Row, type Stage, startStage, until } from './sdk-helpers';

if (!hasChromium())
  console.warn('SDK browser tests skipped: no Chromium at /usr/bin/chromium (or CHROMIUM_PATH)');

describe.skipIf(!hasChromium())('lt.js in Chromium', () => {
  let stage: Stage;
  let automated: Browser;
  let human: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stage = await startStage();
    automated = await launchChromium();
    human = await launchChromium({ human: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await automated?.close();
    await human?.close();
    await stage?.close();
  });

  async function open(browser: Browser, path: string): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, browser === human);
    contexts.push(context);
    const page = await context.newPage();
    const errors = scriptErrors(page);
    await page.goto(stage.url(path));
    await page.waitForFunction(
      () => typeof (window as { leadtrail?: { track?: unknown } }).leadtrail?.track === 'function',
    );
    return { page, errors };
  }

  /** Flushes, then waits until the visitor's stored events satisfy `ready`. */
  async function stored(page: Page, what: string, ready: (rows: Row[]) => boolean): Promise<Row[]> {
    const anon = await anonOf(page);
    await leadtrail(page, 'flush');
    return until(what, async () => {
      const rows = await eventsOf(stage.collector, anon);
      return ready(rows) ? rows : undefined;
    });
  }

  it('counts each single-page-app navigation once, and flags the automated browser', async () => {
    const { page, errors } = await open(automated, '/app/home?utm_source=newsletter&utm_medium=email');
    // Each page is looked at for longer than it takes a navigation to settle.
    const look = () => page.waitForTimeout(SETTLE_MS + 200);
    await page.evaluate(() => (window as unknown as { tidy(): void }).tidy()); // replaceState, same path
    await look();
    await page.click('text=Features');
    await look();
    await page.evaluate(() => (window as unknown as { rerender(): void }).rerender()); // same URL again
    await look();
    await page.click('text=Pricing');
    await look();
    await page.goBack(); // popstate to /app/features
    await look();
    await page.click('text=Settings'); // #/settings: popstate + hashchange
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/settings');

    const rows = await stored(page, 'five page views', (r) => r.filter((e) => e.type === 'page').length >= 5);
    await new Promise((r) => setTimeout(r, 500)); // nothing more trickles in
    const pages = (await eventsOf(stage.collector, await anonOf(page))).filter((e) => e.type === 'page');
    expect(pages.map((e) => e.path + (new URL(e.url!).hash || ''))).toEqual([
      '/app/home',
      '/app/features',
      '/app/pricing',
      '/app/features',
      '/app/features#/settings',
    ]);
    expect(pages[0]!.url).toContain('utm_source=newsletter');
    expect(pages[1]!.ref).toBe(stage.url('/app/home'));
    expect(JSON.parse(pages[2]!.props!)).toEqual({ pricing: true });
    expect(JSON.parse(pages[1]!.props!)).toEqual({ pricing: false });
    expect(new Set(pages.map((e) => e.session)).size).toBe(1);
    // Headless Chromium says navigator.webdriver: every event is a bot's, kept away from contacts.
    expect(rows.every((e) => e.bot === 1 && e.contact_id === null)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('counts a click on a PDF link as a download without holding up the download', async () => {
    const { page, errors } = await open(automated, '/download.html');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#guide')]);
    expect(download.suggestedFilename()).toBe('field-guide.pdf');
    const rows = await stored(page, 'the download', (r) => r.some((e) => e.name === 'download'));
    const event = rows.find((e) => e.name === 'download')!;
    expect(event.type).toBe('track');
    expect(JSON.parse(event.props!)).toEqual({ url: stage.url('/files/field-guide.pdf') });
    expect(errors).toEqual([]);
  });

  it('identifies a person who signs up through a form, with traits and never the password', async () => {
    const { page, errors } = await open(human, '/signup.html');
    const email = 'grace.signup@hopper-systems.example';
    await page.fill('[name=email]', email);
    await page.fill('[name=first_name]', 'Grace');
    await page.fill('[name=last_name]', 'Hopper');
    await page.fill('[name=company]', 'Hopper Systems');
    await page.fill('[name=job_title]', 'VP Engineering');
    await page.selectOption('[name=company_size]', '51-200');
    await page.fill('[name=password]', 'hunter2-secret');
    const anon = await anonOf(page);
    // A real submit: the browser navigates to the form's action; the events leave with the
    // pagehide beacon or with the next page's first batch.
    await Promise.all([page.waitForURL(/thanks\.html/), page.click('button[type=submit]')]);
    await leadtrail(page, 'flush');
    const rows = await until('the sign-up', async () => {
      const r = await eventsOf(stage.collector, anon);
      return r.some((e) => e.type === 'identify') &&
        r.some((e) => e.name === 'form_submit') &&
        r.some((e) => e.path === '/thanks.html')
        ? r
        : undefined;
    });
    expect(JSON.parse(rows.find((e) => e.name === 'form_submit')!.props!)).toEqual({ form: 'signup' });
    const identify = rows.find((e) => e.type === 'identify')!;
    expect(JSON.parse(identify.traits!)).toEqual({
      first_name: 'Grace',
      last_name: 'Hopper',
      company: 'Hopper Systems',
      title: 'VP Engineering',
      company_size: '51-200',
    });
    expect(JSON.stringify(rows)).not.toMatch(/hunter2|csrf-abc123/);
    const contact = await stage.collector.services.db
      .selectFrom('contacts')
      .select(['id', 'email', 'name', 'company', 'title'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      name: 'Grace Hopper',
      company: 'Hopper Systems',
      title: 'VP Engineering',
    });
    // The page view before the sign-up is stitched to her.
    expect(rows.filter((e) => e.type === 'page').every((e) => e.contact_id === contact.id)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('drops a batch the collector refuses (4xx) instead of retrying it', async () => {
    const { page } = await open(automated, '/plain.html');
    await leadtrail(page, 'flush');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('_lt_q'))).toBe('[]');
    const posts: number[] = [];
    page.on('response', (response) => response.url().endsWith('/collect') && posts.push(response.status()));
    // A prop longer than the wire format allows: the collector answers 400 for the whole batch.
    await leadtrail(page, 'track', 'too_big', { text: 'x'.repeat(2000) });
    await leadtrail(page, 'flush');
    await expect.poll(() => posts).toEqual([400]);
    await expect.poll(() => page.evaluate(() => localStorage.getItem('_lt_q'))).toBe('[]');
    await page.waitForTimeout(2500); // past the first backoffs: nothing is sent again
    expect(posts).toEqual([400]);
  });

  it("records a home-made bot's leadtrail:chat events, and the email given in the chat", async () => {
    const { page, errors } = await open(human, '/chat.html');
    const email = 'chatty.cathy@example-retail.com';
    // lt-chat.js (fetched by lt.js) listens for the event.
    await page.waitForFunction(() => [...document.scripts].some((s) => s.src.endsWith('/lt-chat.js')));
    await page.waitForLoadState('networkidle');
    await page.click('#open');
    await page.fill('#message', `Please call me, ${email}`);
    await page.click('#send');
    const rows = await stored(page, 'the chat', (r) => r.some((e) => e.type === 'identify'));
    expect(rows.filter((e) => e.name === 'chat').map((e) => JSON.parse(e.props!))).toEqual([
      { provider: 'custom', action: 'open' },
      { provider: 'custom', action: 'message' },
      { provider: 'custom', action: 'email' },
    ]);
    expect(rows.find((e) => e.type === 'identify')).toMatchObject({ contact_id: expect.any(String) });
    const contact = await stage.collector.services.db
      .selectFrom('contacts')
      .select('email')
      .where('id', '=', rows.find((e) => e.type === 'identify')!.contact_id!)
      .executeTakeFirstOrThrow();
    expect(contact.email).toBe(email);
    expect(errors).toEqual([]);
  });

  it('hooks a chat vendor that arrives after the page has loaded, and records its events', async () => {
    const { page, errors } = await open(human, '/late-chat.html');
    // The vendor appears at 2.5 s; lt-chat.js looks every 2 s and hooks it.
    await page.waitForFunction(
      () => (window as unknown as { handlers: { onShow?: unknown[] } }).handlers.onShow,
    );
    await page.evaluate(() => {
      for (const callback of (window as unknown as { handlers: { onShow: (() => void)[] } }).handlers.onShow)
        callback();
    });
    const rows = await stored(page, 'the chat open', (r) => r.some((e) => e.name === 'chat'));
    expect(rows.filter((e) => e.name === 'chat').map((e) => JSON.parse(e.props!))).toEqual([
      { provider: 'intercom', action: 'open' },
    ]);
    expect(errors).toEqual([]);
  });
});
