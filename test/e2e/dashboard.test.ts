/**
 * The dashboard in headless Debian Chromium against a real collector, seeded through the real
 * ingestion endpoint: sign in, filter the feed, read a contact's story, move leads as sales,
 * see a new MQL arrive live, check the overview against the API, and make sure stored XSS
 * payloads stay inert text. Screenshots of every page go to test-results/screenshots/.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../collector/dashboard/headers';
import {
  type Seeded,
  seedDashboard,
  XSS_CAMPAIGN,
  XSS_COMPANY,
  XSS_NAME,
  XSS_TITLE,
} from '../dashboard/seed';
import { hasChromium, launchChromium } from '../helpers/browser';
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector, type TestCollector } from '../helpers/server';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
const USER = { user: 'maria', password: 'sales-team-password' };
const DAY = 86_400_000;

let collector: TestCollector;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let seeded: Seeded;
const dialogs: string[] = [];
const pageErrors: string[] = [];

async function contactId(email: string): Promise<string> {
  const body = (await (await collector.api(`/api/leads?q=${encodeURIComponent(email)}`)).json()) as {
    leads: { id: string; email: string }[];
  };
  const lead = body.leads.find((l) => l.email === email);
  if (!lead) throw new Error(`no lead ${email}`);
  return lead.id;
}

async function contact(id: string) {
  return (await (await collector.api(`/api/contacts/${id}`)).json()) as {
    stage: string;
    score: number;
    stage_history: { to: string; reason: string; actor: string }[];
  };
}

async function screenshot(p: Page, name: string) {
  const path = resolve(SHOTS, `${name}.png`);
  await p.screenshot({ path, fullPage: true });
  return path;
}

function watch(p: Page) {
  p.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  p.on('pageerror', (error) => pageErrors.push(error.message));
}

describe.skipIf(!hasChromium())('dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    collector = await startCollector({ file: { dashboard: { users: [USER] } } });
    seeded = await seedDashboard(collector.url);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    watch(page);
  });

  afterAll(async () => {
    // The browser first: its open event stream would otherwise hold the server open.
    await browser?.close();
    await collector?.close();
  });

  it('sends a visitor to the sign-in page and signs in with user and password', async () => {
    const response = await page.goto(`${collector.url}/dashboard`);
    expect(page.url()).toContain('/dashboard/login');
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await screenshot(page, 'login');
    await page.fill('input[name=user]', USER.user);
    await page.fill('input[name=password]', USER.password);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${collector.url}/dashboard`);
    await expect.poll(() => page.locator('.who-name').textContent()).toBe('maria');
    const cookie = (await context.cookies()).find((c) => c.name === 'lt_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('shows the lead feed, filters it like the API does and exports it as CSV', async () => {
    const rows = page.locator('#leads tbody tr');
    expect(await rows.count()).toBe(4);
    await screenshot(page, 'feed');

    await page.fill('input[name=q]', 'grace');
    await page.click('button:has-text("Apply")');
    await page.waitForURL(/q=grace/);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('.lead-name').textContent()).toBe('Grace Hopper');

    await page.goto(`${collector.url}/dashboard`);
    await page.click('summary:has-text("More filters")');
    await page.selectOption('select[name=grade]', 'A');
    await page.selectOption('select[name=sort]', 'last_activity');
    await page.click('button:has-text("Apply")');
    await page.waitForURL(/grade=A/);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-contact')));
    const api = (await (await collector.api('/api/leads?grade=A&sort=last_activity')).json()) as {
      leads: { id: string }[];
    };
    expect(shown).toEqual(api.leads.map((l) => l.id));
    expect(shown.length).toBe(2);
    expect(await page.locator('details.more-filters').getAttribute('open')).not.toBeNull();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Export CSV")'),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toContain('email');
    expect(csv.length - 1).toBe(2);
  });

  it('tells a contact’s story: the breakdown rows add up to the score shown', async () => {
    await page.goto(`${collector.url}/dashboard`);
    await page.click('a.lead-name:has-text("Ada Lovelace")');
    await page.waitForURL(/\/dashboard\/contacts\//);
    const id = await contactId(seeded.hot.email);
    const api = await contact(id);

    const shownScore = Number(await page.locator('#score .kpi-value').textContent());
    expect(shownScore).toBe(api.score);
    const lines = await page.locator('#breakdown tr.breakdown-line td:last-child').allTextContents();
    expect(lines.length).toBeGreaterThan(3);
    const tenths = lines.reduce((sum, text) => sum + Math.round(Number(text.replace('+', '')) * 10), 0);
    expect(tenths / 10).toBe(shownScore);
    expect(Number(await page.locator('#breakdown-total').textContent())).toBe(shownScore);

    // The timeline tells what happened, with the campaign of each session.
    const kinds = await page
      .locator('#timeline .event')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    for (const kind of ['pricing', 'download', 'form', 'chat', 'handraise', 'page'])
      expect(kinds).toContain(kind);
    expect(await page.locator('.campaign').allTextContents()).toContain('google / cpc · spring-launch');
    expect(await page.locator('#stage-history').textContent()).toContain('demo_requested');
    await screenshot(page, 'contact');
  });

  it('lets sales accept one lead and reject another with a reason', async () => {
    const grace = await contactId(seeded.rejectable.email);
    await page.goto(`${collector.url}/dashboard/contacts/${grace}`);
    await page.click('button[data-move=accept]');
    await page.waitForURL(`${collector.url}/dashboard/contacts/${grace}`);
    expect(await page.locator('.flash-ok').textContent()).toBe('Moved to SAL.');
    expect(await page.locator('.person .badge').textContent()).toBe('SAL');
    const accepted = await contact(grace);
    expect(accepted.stage).toBe('sal');
    expect(accepted.stage_history.at(-1)?.actor).toBe('maria');

    const sam = await contactId(seeded.cold.email);
    await page.goto(`${collector.url}/dashboard/contacts/${sam}`);
    await page.click('details[data-move=reject] summary');
    // The reason is required: the browser will not submit the form without it.
    await page.click('details[data-move=reject] button[type=submit]');
    expect((await contact(sam)).stage).toBe('lead');
    await page.fill('details[data-move=reject] textarea[name=reason]', 'A student: not a buyer yet');
    await page.click('details[data-move=reject] button[type=submit]');
    await page.waitForSelector('.flash-ok');
    expect(await page.locator('.flash-ok').textContent()).toBe('Moved to Recycled.');
    const rejected = await contact(sam);
    expect(rejected.stage).toBe('recycled');
    expect(rejected.stage_history.at(-1)).toMatchObject({
      to: 'recycled',
      reason: 'A student: not a buyer yet',
      actor: 'maria',
    });
    expect(await page.locator('#stage-history').textContent()).toContain('A student: not a buyer yet');
  });

  it('announces a lead that becomes an MQL while the feed is open', async () => {
    await page.goto(`${collector.url}/dashboard`);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-live') === 'open');
    const anon = 'anon_live_1';
    const site = 'https://www.example.com';
    const response = await postBatch(
      collector.url,
      batchOf([
        pageView(anon, `${site}/pricing`, {
          props: { pricing: true },
          session: 's_live_1',
          ts: Date.now() - 60_000,
        }),
        pageView(anon, `${site}/pricing`, {
          props: { pricing: true },
          session: 's_live_1',
          ts: Date.now() - 50_000,
        }),
        trackEvent(anon, 'download', { url: `${site}/files/guide.pdf` }, { session: 's_live_1' }),
        trackEvent(anon, 'chat', { action: 'email' }, { session: 's_live_1' }),
        identifyEvent(
          anon,
          'linus@kernel.example',
          { name: 'Linus Live', title: 'Head of Platform', company_size: 800 },
          { session: 's_live_1' },
        ),
      ]),
    );
    expect(response.status).toBeLessThan(300);
    const item = page.locator('#live-list li[data-stage=mql]');
    await item.waitFor({ timeout: 10_000 });
    expect(await item.textContent()).toContain('Linus Live became MQL');
    expect(await page.locator('#live').isVisible()).toBe(true);
  });

  it('draws the overview with the same funnel numbers as the API', async () => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * DAY).toISOString().slice(0, 10);
    await page.goto(`${collector.url}/dashboard/overview?from=${from}&to=${to}`);
    const api = (await (await collector.api(`/api/reports/funnel?from=${from}&to=${to}`)).json()) as {
      counts: { visitors: number; leads: number; mqls: number; sqls: number };
    };
    const shown = await page
      .locator('.funnel-step')
      .evaluateAll((steps) =>
        Object.fromEntries(
          steps.map((s) => [s.getAttribute('data-stage'), Number(s.getAttribute('data-count'))]),
        ),
      );
    expect(shown).toEqual({
      visitor: api.counts.visitors,
      lead: api.counts.leads,
      mql: api.counts.mqls,
      sql: api.counts.sqls,
    });
    const printed = await page.locator('.funnel-count').allTextContents();
    expect(printed.map(Number)).toEqual([
      api.counts.visitors,
      api.counts.leads,
      api.counts.mqls,
      api.counts.sqls,
    ]);
    expect(api.counts.visitors).toBeGreaterThanOrEqual(10);
    expect(api.counts.sqls).toBeGreaterThanOrEqual(1);
    // Hover text on the charts, and the attribution switch.
    expect(await page.locator('#funnel svg title').count()).toBe(4);
    expect(await page.locator('#pages .bar-label').allTextContents()).toContain('/pricing');
    expect(await page.locator('#downloads .bar-label').allTextContents()).toContain('whitepaper.pdf');
    await page.click('.segmented a:has-text("Linear")');
    await page.waitForURL(/model=linear/);
    expect(await page.locator('.segmented a.active').textContent()).toBe('Linear');
    await screenshot(page, 'overview');
  });

  it('lists accounts with their members and account score', async () => {
    await page.goto(`${collector.url}/dashboard/accounts`);
    const domains = await page
      .locator('#accounts tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-domain')));
    expect(domains).toContain('analytical.example');
    expect(domains).not.toContain('gmail.com');
    await screenshot(page, 'accounts');
    await page.click('a:has-text("analytical.example")');
    await page.waitForURL(/accounts\/analytical\.example/);
    expect(await page.locator('#members').textContent()).toContain('Ada Lovelace');
    const api = (await (await collector.api('/api/accounts/analytical.example')).json()) as {
      account: { score: number };
    };
    expect(Number(await page.locator('#account-score').getAttribute('data-value'))).toBe(api.account.score);
    await screenshot(page, 'account');
  });

  it('shows stored XSS payloads as inert text on every page', async () => {
    const xss = await contactId(seeded.xss.email);
    const pages = [
      '/dashboard',
      `/dashboard/contacts/${xss}`,
      '/dashboard/overview',
      '/dashboard/accounts',
      '/dashboard/accounts/evil.example',
    ];
    for (const path of pages) {
      await page.goto(`${collector.url}${path}`);
      const injected = await page.evaluate(() => ({
        images: document.querySelectorAll('img[src="x"]').length,
        inlineScripts: [...document.scripts].filter((s) => !s.src).length,
        svgs: document.querySelectorAll('svg[onload]').length,
        handlers: document.querySelectorAll('[onmouseover],[onerror],[onload]').length,
      }));
      expect(injected, path).toEqual({ images: 0, inlineScripts: 0, svgs: 0, handlers: 0 });
    }
    await page.goto(`${collector.url}/dashboard/contacts/${xss}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(XSS_NAME);
    expect(await page.getByText(XSS_TITLE).first().isVisible()).toBe(true);
    expect(await page.locator('.campaign').allTextContents()).toContain(
      `newsletter / email · ${XSS_CAMPAIGN}`,
    );
    await page.goto(`${collector.url}/dashboard`);
    expect(await page.getByText(XSS_NAME).isVisible()).toBe(true);
    expect(await page.getByText(XSS_COMPANY).isVisible()).toBe(true);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      await phone.addCookies(await context.cookies());
      const p = await phone.newPage();
      watch(p);
      await p.goto(`${collector.url}/dashboard`);
      expect(await p.locator('#leads tbody tr').count()).toBeGreaterThan(0);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await p.locator('#leads th.col-company').isVisible()).toBe(false);
      await screenshot(p, 'feed-phone');
      await p.goto(`${collector.url}/dashboard/overview`);
      await screenshot(p, 'overview-phone');
    } finally {
      await phone.close();
    }
  });

  it('saved a non-empty screenshot of every page', () => {
    for (const name of [
      'login',
      'feed',
      'contact',
      'overview',
      'accounts',
      'account',
      'feed-phone',
      'overview-phone',
    ]) {
      expect(statSync(resolve(SHOTS, `${name}.png`)).size, name).toBeGreaterThan(5 * 1024);
    }
  });
});
