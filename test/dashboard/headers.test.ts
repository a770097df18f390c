/**
 * Every dashboard response — pages, redirects, assets, errors — carries the CSP and the other
 * security headers, and no page contains anything the CSP would have to block (inline script,
 * inline style, event-handler attributes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../collector/dashboard/headers';
import { startCollector, TEST_ADMIN_KEY, type TestCollector } from '../helpers/server';
import { type DashboardClient, dashboardClient, signIn } from './client';
import { seedDashboard } from './seed';

let collector: TestCollector;
let client: DashboardClient;
let hotId: string;

beforeAll(async () => {
  collector = await startCollector();
  const seeded = await seedDashboard(collector.url);
  client = dashboardClient(collector.url);
  await signIn(client, { key: TEST_ADMIN_KEY });
  const leads = (await (await collector.api(`/api/leads?q=${seeded.hot.email}`)).json()) as {
    leads: { id: string }[];
  };
  hotId = leads.leads[0]!.id;
});
afterAll(() => collector.close());

/** Every attribute name used in the markup (quoted values blanked out first). */
function attributeNames(html: string): Set<string> {
  const names = new Set<string>();
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
    const bare = tag.replace(/"[^"]*"/g, '""');
    for (const match of bare.matchAll(/\s([a-z][a-z0-9:-]*)(?==|\s|\/?>)/gi))
      names.add(match[1]!.toLowerCase());
  }
  return names;
}

function expectSecurityHeaders(response: Response, what: string) {
  expect(response.headers.get('content-security-policy'), what).toBe(CONTENT_SECURITY_POLICY);
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(response.headers.get('referrer-policy'), what).toBe('same-origin');
  expect(response.headers.get('x-frame-options'), what).toBe('DENY');
}

describe('security headers', () => {
  it('sets the exact policy the dashboard needs', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self' data:");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("form-action 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("base-uri 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('are on pages, redirects, assets and errors alike', async () => {
    const anonymous = dashboardClient(collector.url);
    const responses: [string, Response][] = [
      ['login page', await anonymous.get('/dashboard/login')],
      ['redirect to login', await anonymous.get('/dashboard')],
      ['stylesheet', await anonymous.get('/dashboard/assets/app.css')],
      ['script', await anonymous.get('/dashboard/assets/feed.js')],
      ['feed', await client.get('/dashboard')],
      ['contact', await client.get(`/dashboard/contacts/${hotId}`)],
      ['overview', await client.get('/dashboard/overview')],
      ['accounts', await client.get('/dashboard/accounts')],
      ['unknown contact', await client.get('/dashboard/contacts/nope')],
      ['unknown page', await client.get('/dashboard/nothing/here')],
      ['refused post', await client.post('/dashboard/logout', {})],
      ['csv', await client.get('/dashboard/leads.csv')],
    ];
    for (const [what, response] of responses) expectSecurityHeaders(response, what);
    const statuses = Object.fromEntries(responses.map(([what, r]) => [what, r.status]));
    expect(statuses).toMatchObject({
      'unknown contact': 404,
      'unknown page': 404,
      'refused post': 403,
      csv: 200,
    });
    expect(responses.find(([w]) => w === 'stylesheet')![1].headers.get('content-type')).toContain('text/css');
    expect(responses.find(([w]) => w === 'script')![1].headers.get('content-type')).toContain('javascript');
  });

  it('keeps pages free of inline script, inline style and handler attributes', async () => {
    const pages = [
      await (await dashboardClient(collector.url).get('/dashboard/login')).text(),
      await client.html('/dashboard'),
      await client.html(`/dashboard/contacts/${hotId}`),
      await client.html('/dashboard/overview'),
      await client.html('/dashboard/accounts'),
      await client.html('/dashboard/accounts/analytical.example'),
    ];
    for (const html of pages) {
      expect(html).toMatch(/^<!DOCTYPE html><html/);
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
      expect(html).not.toMatch(/<style/i);
      // Attribute names only: escaped user text and quoted values may mention anything.
      const names = attributeNames(html);
      expect(names.has('class') && names.has('href')).toBe(true);
      expect(names.has('style')).toBe(false);
      expect([...names].filter((name) => name.startsWith('on'))).toEqual([]);
    }
  });

  it('never lets a browser cache a page with personal data', async () => {
    expect((await client.get('/dashboard')).headers.get('cache-control')).toBe('no-store');
    expect((await client.get(`/dashboard/contacts/${hotId}`)).headers.get('cache-control')).toBe('no-store');
  });
});
