/**
 * The libraries a site already runs, unchanged, against a real collector process:
 * `@segment/analytics-next` in Chromium on a page of another origin (bundled here from
 * node_modules with esbuild, settings inline, nothing fetched from a CDN), and
 * `@segment/analytics-node` and `@rudderstack/rudder-sdk-node` from Node with a server key. Each
 * sends page, identify, track, alias and a hand-raise; the test reads the contact, its timeline
 * and its stage through the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics } from '@segment/analytics-node';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, newContext } from '../helpers/browser';
import { type CollectorProcess, spawnCollector } from '../helpers/process';
import { freePort } from '../simulate/demo-collector';

const ADMIN_KEY = 'sk_libs_admin_0123456789abcdef';
const SITE = 'pk_libs';
const SERVER_KEY = 'srv_libs_0123456789abcdefghijkl';
const ROOT = resolve(import.meta.dirname, '../..');

interface ContactView {
  id: string;
  email: string | null;
  user_id: string | null;
  stage: string;
  anonymous_ids: string[];
  stage_history: { from: string; to: string }[];
}
interface TimelineEvent {
  type: string;
  name: string | null;
}

/** The analytics.js bundle a site would build, from node_modules. */
async function bundleAnalyticsNext(): Promise<string> {
  const result = await build({
    stdin: {
      contents:
        "import { AnalyticsBrowser } from '@segment/analytics-next'; window.AnalyticsBrowser = AnalyticsBrowser;",
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0]!.text;
}

function pageHtml(collectorHost: string): string {
  // What a site writes: load with the write key, point Segment.io at the collector. The
  // settings analytics.js would fetch from Segment's CDN are given inline instead.
  return `<!doctype html><html><head><title>Libraries</title><script src="/analytics.js"></script></head>
<body><script>
  const segmentio = { apiKey: '${SITE}', apiHost: '${collectorHost}/v1', protocol: 'http' };
  const analytics = AnalyticsBrowser.load(
    { writeKey: '${SITE}', cdnSettings: { integrations: { 'Segment.io': segmentio } } },
    { integrations: { 'Segment.io': { apiHost: '${collectorHost}/v1', protocol: 'http' } } },
  );
  window.run = async () => {
    await analytics.page();
    await analytics.alias('u-browser');
    await analytics.identify('u-browser', { email: 'web@libs.io', name: 'Web Visitor', title: 'Head of Growth' });
    await analytics.track('demo_requested', { plan: 'business' });
    const user = await analytics.user();
    return user.anonymousId();
  };
</script></body></html>`;
}

describe.skipIf(!hasChromium())('Segment and RudderStack libraries against a collector process', () => {
  let dir: string;
  let collector: CollectorProcess;
  let pages: Server;
  let pageOrigin: string;
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${collector.url}/api${path}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  const contactByEmail = async (email: string) => {
    const { leads } = await api<{ leads: { id: string }[] }>(
      `/leads?q=${encodeURIComponent(email)}&stage=lead,mql,sql`,
    );
    return leads[0] ? api<ContactView>(`/contacts/${leads[0].id}`) : undefined;
  };
  const waitForStage = async (email: string, stage: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const contact = await contactByEmail(email);
      if (contact?.stage === stage || Date.now() > deadline) return contact;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** The kinds of event on a contact's timeline (sorted: a library may send several in one millisecond). */
  const timelineOf = async (id: string) =>
    (await api<{ events: TimelineEvent[] }>(`/contacts/${id}/timeline?limit=50`)).events
      .map((e) => `${e.type}:${e.name ?? ''}`)
      .sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrail-libs-'));
    const script = await bundleAnalyticsNext();
    const collectorPort = await freePort();
    pages = createServer((req, res) => {
      if (req.url === '/analytics.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(`127.0.0.1:${collectorPort}`));
      }
    });
    await new Promise<void>((ok) => pages.listen(0, '127.0.0.1', ok));
    pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    collector = await spawnCollector({
      dir,
      databaseUrl: join(dir, 'leadtrail.db'),
      port: collectorPort,
      adminKey: ADMIN_KEY,
      config: { sites: [{ key: SITE, origins: [pageOrigin], server_keys: [SERVER_KEY] }] },
      startTimeoutMs: 90_000,
    });
  }, 120_000);
  afterAll(async () => {
    await collector?.stop();
    await new Promise((ok) => pages?.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  it('says at start, in one line, that the site has no identity secret', async () => {
    // The warning goes to stderr, which can arrive after the banner that told us the port.
    const warningsOf = () => collector.output.filter((line) => line.includes('warning: no identity_secret'));
    for (let i = 0; i < 100 && warningsOf().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const warnings = warningsOf();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(SITE);
  });

  it('analytics.js (analytics-next) in Chromium, cross-origin, with inline settings', async () => {
    const browser = await launchChromium({ human: true });
    try {
      const context = await newContext(browser, true);
      const page = await context.newPage();
      const foreign: string[] = [];
      const errors: string[] = [];
      // Anything not on loopback would be a CDN fetch: refuse it and remember it.
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1') return route.continue();
        foreign.push(url.href);
        return route.abort();
      });
      page.on('pageerror', (error) => errors.push(error.message));
      const statuses: number[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/v1/')) statuses.push(response.status());
      });
      await page.goto(`${pageOrigin}/`);
      const anonymousId = await page.evaluate(() =>
        (window as unknown as { run: () => Promise<string> }).run(),
      );

      const contact = await waitForStage('web@libs.io', 'sql');
      expect(contact).toMatchObject({ user_id: 'u-browser', stage: 'sql' });
      expect(contact!.anonymous_ids).toContain(anonymousId);
      expect(contact!.stage_history.map((h) => h.to)).toEqual(['lead', 'sql']);
      const timeline = await timelineOf(contact!.id);
      expect(timeline).toEqual(['identify:', 'identify:', 'page:', 'track:demo_requested']);
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
      expect(statuses.length).toBeGreaterThanOrEqual(4);
      expect(statuses.every((s) => s === 200 || s === 204)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('analytics-node with a server key', async () => {
    const analytics = new Analytics({
      writeKey: SERVER_KEY,
      host: collector.url,
      flushAt: 10,
      maxRetries: 2,
    });
    const anonymousId = 'node-anon-1';
    analytics.page({ anonymousId, name: 'Pricing', properties: { url: 'https://libs.io/pricing' } });
    analytics.alias({ previousId: anonymousId, userId: 'u-node' });
    analytics.identify({ userId: 'u-node', traits: { email: 'node@libs.io', title: 'VP Sales' } });
    analytics.track({ userId: 'u-node', event: 'meeting_booked' });
    await analytics.closeAndFlush({ timeout: 10_000 });

    const contact = await waitForStage('node@libs.io', 'sql');
    expect(contact).toMatchObject({ user_id: 'u-node', stage: 'sql' });
    expect(contact!.anonymous_ids).toContain(anonymousId);
    const timeline = await timelineOf(contact!.id);
    expect(timeline).toEqual(['identify:', 'identify:', 'page:', 'track:meeting_booked']);
  });

  it('RudderStack node SDK (gzip batches) with a server key', async () => {
    const client = new RudderAnalytics(SERVER_KEY, {
      dataPlaneUrl: collector.url,
      flushAt: 10,
      flushInterval: 200,
      logLevel: 'error',
    });
    const anonymousId = 'rudder-anon-1';
    client.page({ anonymousId, name: 'Home', properties: { url: 'https://libs.io/' } });
    client.alias({ previousId: anonymousId, userId: 'u-rudder' });
    client.identify({ userId: 'u-rudder', traits: { email: 'rudder@libs.io', company: 'Libs' } });
    client.track({ userId: 'u-rudder', event: 'trial_started' });
    await client.flush();

    const contact = await waitForStage('rudder@libs.io', 'sql');
    expect(contact).toMatchObject({ user_id: 'u-rudder', stage: 'sql' });
    expect(contact!.anonymous_ids).toContain(anonymousId);
    const timeline = await timelineOf(contact!.id);
    expect(timeline).toEqual(['identify:', 'identify:', 'page:', 'track:trial_started']);
  });
});
