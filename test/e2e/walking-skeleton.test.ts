/**
 * The whole product in one thin slice, the way `npm start` runs it: the collector process with
 * the built-in demo config serves the demo site and the real script; a real browser opens the
 * home page; the page view lands in SQLite; the lead feed shows the visitor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, newContext } from '../helpers/browser';
import { type CollectorProcess, spawnCollector } from '../helpers/process';
import { freePort } from '../simulate/demo-collector';

const ADMIN_KEY = 'sk_skeleton_0123456789abcdef';

describe.skipIf(!hasChromium())('walking skeleton', () => {
  let dir: string;
  let collector: CollectorProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrail-skeleton-'));
    // The demo config allows the collector's own origin, so the port must be known up front.
    collector = await spawnCollector({
      dir,
      databaseUrl: join(dir, 'leadtrail.db'),
      port: await freePort(),
      adminKey: ADMIN_KEY,
    });
  });
  afterAll(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the demo URL, the dashboard URL and where the admin key comes from, never the key', () => {
    const printed = collector.output.join('\n');
    expect(printed).toContain(`http://localhost:${collector.port}/`);
    expect(printed).toContain(`http://localhost:${collector.port}/dashboard`);
    expect(printed).toContain('admin key   from LEADTRAIL_ADMIN_KEY');
    expect(printed).not.toContain(ADMIN_KEY);
  });

  it('serves the built script with cache headers and an ETag', async () => {
    const response = await fetch(`${collector.url}/lt.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect((await response.text()).length).toBeGreaterThan(500);
    expect((await fetch(`${collector.url}/lt.js`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
  });

  it('a browser visit to the demo site shows up in the lead feed', async () => {
    const browser = await launchChromium({ human: true });
    try {
      const context = await newContext(browser, true);
      const page = await context.newPage();
      const base = `http://localhost:${collector.port}`;
      await page.goto(`${base}/?utm_source=skeleton&utm_medium=test`);
      await page.evaluate(() => (window as unknown as { leadtrail: (m: string) => void }).leadtrail('flush'));

      const api = (path: string) =>
        fetch(`${collector.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      let lead: { id: string; stage: string; source: string | null } | undefined;
      for (let i = 0; i < 50 && !lead; i++) {
        const feed = (await (await api('/api/leads?stage=visitor')).json()) as {
          leads: { id: string; stage: string; source: string | null }[];
        };
        lead = feed.leads.find((l) => l.source === 'skeleton');
        if (!lead) await new Promise((r) => setTimeout(r, 200));
      }
      expect(lead).toMatchObject({ stage: 'visitor', source: 'skeleton' });

      const timeline = (await (await api(`/api/contacts/${lead!.id}/timeline`)).json()) as {
        events: { type: string; url: string }[];
      };
      expect(timeline.events.some((e) => e.type === 'page' && e.url.startsWith(`${base}/`))).toBe(true);
      expect((await api('/api/leads')).status).toBe(200);
      expect((await fetch(`${collector.url}/api/leads`)).status).toBe(401);
      await context.close();
    } finally {
      await browser.close();
    }
  }, 60_000);
});
