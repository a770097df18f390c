/**
 * Stored XSS: payloads that arrive as a trait, a page title, an event prop and a UTM value come
 * out of every page as escaped text, never as markup (the browser test shows they stay inert).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, TEST_ADMIN_KEY, type TestCollector } from '../helpers/server';
import { dashboardClient, signIn } from './client';
import { seedDashboard, XSS_CAMPAIGN, XSS_COMPANY, XSS_NAME, XSS_TITLE } from './seed';

let collector: TestCollector;
const pages = new Map<string, string>();

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

beforeAll(async () => {
  collector = await startCollector();
  const seeded = await seedDashboard(collector.url);
  const client = dashboardClient(collector.url);
  await signIn(client, { key: TEST_ADMIN_KEY });
  const leads = (await (await collector.api(`/api/leads?q=${seeded.xss.email}`)).json()) as {
    leads: { id: string }[];
  };
  const id = leads.leads[0]!.id;
  for (const path of [
    '/dashboard',
    `/dashboard/contacts/${id}`,
    '/dashboard/overview',
    '/dashboard/overview?model=linear',
    '/dashboard/accounts',
    '/dashboard/accounts/evil.example',
    `/dashboard?q=${encodeURIComponent(XSS_NAME)}`,
  ]) {
    pages.set(path, await client.html(path));
  }
});
afterAll(() => collector.close());

describe('escaping', () => {
  it('never emits a stored payload as markup', () => {
    for (const [path, html] of pages) {
      for (const payload of [
        XSS_NAME,
        XSS_TITLE,
        XSS_CAMPAIGN,
        XSS_COMPANY,
        '<svg onload',
        '<b onmouseover',
      ]) {
        expect(html.includes(payload), `${path} contains ${payload}`).toBe(false);
      }
      expect(html, path).not.toMatch(/<script>alert/i);
      expect(html, path).not.toMatch(/<img src=x/i);
    }
  });

  it('shows each payload as text where it belongs', () => {
    const [feed, contact, overview] = [...pages.values()];
    expect(feed).toContain(escapeHtml(XSS_NAME));
    expect(feed).toContain(escapeHtml(XSS_COMPANY).replace(/'/g, '&#39;'));
    expect(contact).toContain(escapeHtml(XSS_NAME));
    expect(contact).toContain(escapeHtml(XSS_TITLE)); // page title in the timeline
    expect(contact).toContain(escapeHtml(XSS_CAMPAIGN)); // UTM campaign of the session
    expect(overview).toContain(escapeHtml(XSS_CAMPAIGN)); // attribution chart label
  });

  it('escapes what the person typed into the filters as well', () => {
    const searched = pages.get(`/dashboard?q=${encodeURIComponent(XSS_NAME)}`)!;
    expect(searched).toContain(`value="${escapeHtml(XSS_NAME)}"`);
  });
});
