/**
 * lt.js in real single-page apps: a React Router app and a Vue Router app, bundled here with
 * esbuild from the installed packages (no network), served by the fixture site, with lt.js
 * loaded before the app's bundle and after it. A visitor walks through links, an anchor, an
 * in-app redirect, a :slug route, back/forward, a search filter, the same link twice, two quick
 * clicks and a fast exit, while a clock re-renders every 100 ms; the page views stored by the
 * real collector are checked: one per page seen, each with its own title, the redirect as one
 * view of the final URL with the referrer of the page before the hop.
 *
 * The apps also record when the router calls history and sets the title (router.html): the
 * time each navigation took to settle is printed and must stay under SETTLE_MS.
 */
import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../sdk/capture/pageviews';
import { hasChromium, launchChromium, newContext, scriptErrors } from '../helpers/browser';
import { anonOf, eventsOf, leadtrail, type Row, type Stage, startStage, until } from './sdk-helpers';

const APPS = { react: 'react-app.js', vue: 'vue-app.js' };
const ORDERS = ['lt-first', 'app-first'] as const;

async function bundle(file: string): Promise<string> {
  const result = await build({
    entryPoints: [resolve(import.meta.dirname, 'fixtures/routers', file)],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    target: 'es2020',
    logLevel: 'silent',
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
  return result.outputFiles[0]!.text;
}

type Entry = { t: number; kind: string; what?: string };

/**
 * How long each action's navigation took to settle: from its first history call to its last
 * history call or title change. Actions are separated by marks; what comes before the first
 * (the page load) and after a mark saying 'typing' (query changes as the visitor types) are
 * not navigations, and are left out.
 */
const settleTimes = (timeline: Entry[]): number[] => {
  const spans: number[] = [];
  let segment: Entry[] = [];
  let typing = true;
  for (const entry of [...timeline, { t: 0, kind: 'mark' }]) {
    if (entry.kind !== 'mark') segment.push(entry);
    else {
      if (segment.length > 1 && !typing) spans.push(segment.at(-1)!.t - segment[0]!.t);
      segment = [];
      typing = entry.what === 'typing';
    }
  }
  return spans;
};

if (!hasChromium())
  console.warn('Router browser tests skipped: no Chromium at /usr/bin/chromium (or CHROMIUM_PATH)');

describe.skipIf(!hasChromium())('lt.js in router apps, in Chromium', () => {
  let stage: Stage;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const bundles: Record<string, string> = {};
    for (const [app, file] of Object.entries(APPS)) bundles[app] = await bundle(file);
    stage = await startStage({}, bundles);
    browser = await launchChromium({ human: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await stage?.close();
  });

  describe.each(Object.keys(APPS))('%s', (app) => {
    it.each(ORDERS)(
      'counts each page seen once, with its title and referrer (%s)',
      async (order) => {
        const context = await newContext(browser, true);
        contexts.push(context);
        const page: Page = await context.newPage();
        const errors = scriptErrors(page);
        const base = stage.url(`/r/${app}/${order}`);
        const title = (text: string) => page.waitForFunction((t) => document.title === t, text);
        /** One thing the visitor does, then looks at the page for longer than the settle time. */
        const act = async (what: () => Promise<unknown>, label = '') => {
          await page.evaluate(
            (l) =>
              (window as unknown as { timeline: Entry[] }).timeline.push({ t: 0, kind: 'mark', what: l }),
            label,
          );
          await what();
          await page.waitForTimeout(SETTLE_MS + 250);
        };

        await page.goto(`${base}/?utm_source=newsletter`);
        await title('Home – Acme');
        await page.waitForFunction(
          () => typeof (window as { leadtrail?: { track?: unknown } }).leadtrail?.track === 'function',
        );
        await act(() => page.click('#to-docs'));
        await act(() => page.click('#to-install')); // a hash anchor
        await act(() => page.click('#to-old-pricing')); // redirects to /pricing (replace)
        await act(() => page.click('#to-post')); // /blog/:slug
        await act(() => page.goBack());
        await act(() => page.goForward());
        await act(() => page.click('#to-search'));
        // Query-only changes, one per key.
        await act(() => page.locator('#filter').pressSequentially('pro', { delay: 60 }), 'typing');
        await act(() => page.click('#to-home'));
        await act(() => page.click('#to-home')); // the same link again
        const timeline = await page.evaluate(() => (window as unknown as { timeline: Entry[] }).timeline);
        // Two quick clicks: Docs is passed through, Pricing is the page seen.
        await act(() =>
          page.evaluate(() => {
            document.getElementById('to-docs')!.click();
            setTimeout(() => document.getElementById('to-pricing')!.click(), 40);
          }),
        );
        const anon = await anonOf(page);
        // A fast exit: the visitor clicks and leaves before the view could settle.
        await page.click('#to-post');
        await page.goto(stage.url('/plain.html'));
        await leadtrail(page, 'flush');

        const rows = await until('the page views', async () => {
          const r = (await eventsOf(stage.collector, anon)).filter((e) => e.type === 'page');
          return r.some((e) => e.path === '/plain.html') && r.length >= 12 ? r : undefined;
        });
        await page.waitForTimeout(500); // nothing more trickles in
        const views = (await eventsOf(stage.collector, anon)).filter((e) => e.type === 'page');
        const where = (e: Row) => {
          const url = new URL(e.url!);
          return (url.pathname.replace(`/r/${app}/${order}`, '') || '/') + url.hash;
        };
        expect(views.map(where)).toEqual([
          '/',
          '/docs',
          '/docs#install',
          '/pricing',
          '/blog/hello-world',
          '/pricing',
          '/blog/hello-world',
          '/search',
          '/',
          '/pricing',
          '/blog/hello-world',
          '/plain.html',
        ]);
        expect(rows.length).toBe(views.length);
        // The load's view has the title of the HTML or the app's, whichever ran first.
        expect(['Acme', 'Home – Acme']).toContain(views[0]!.title);
        expect(views.slice(1, 10).map((e) => e.title)).toEqual([
          'Docs – Acme',
          'Docs – Acme',
          'Pricing – Acme',
          'Hello world – Blog',
          'Pricing – Acme',
          'Hello world – Blog',
          'Search – Acme',
          'Home – Acme',
          'Pricing – Acme',
        ]);
        // Each view's referrer is the page seen before it: for the redirect, the page before the
        // hop; after the filter, the filtered URL.
        const url = (e: Row) => e.url;
        expect(views[1]!.ref).toBe(`${base}/?utm_source=newsletter`);
        for (const i of [2, 3, 4, 5, 6, 7, 9, 10])
          expect(views[i]!.ref, where(views[i]!)).toBe(url(views[i - 1]!));
        expect(views[8]!.ref).toBe(`${base}/search?q=pro`);
        expect(JSON.parse(views[3]!.props!)).toEqual({ pricing: true });
        expect(views.some((e) => e.url!.includes('old-pricing'))).toBe(false);
        expect(new Set(views.map((e) => e.session)).size).toBe(1);

        const spans = settleTimes(timeline);
        console.log(
          `${app} (${order}): navigations settled in ${spans.map((t) => t.toFixed(0)).join(', ')} ms`,
        );
        // Every navigation had settled (title set, redirect done) well before the view was taken.
        expect(Math.max(...spans)).toBeLessThan(SETTLE_MS);
        expect(errors).toEqual([]);
      },
      90_000,
    );
  });
});
