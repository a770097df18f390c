/**
 * Seeds a real collector through its real ingestion endpoint with the people the dashboard tests
 * look at: a hot lead who reads pricing twice, downloads, signs up and asks for a demo; a lead to
 * reject; and a contact whose name, title, campaign and page titles are XSS payloads.
 */
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';

export const XSS_NAME = '<img src=x onerror=alert(1)>';
export const XSS_TITLE = '<script>alert(1)</script>';
export const XSS_CAMPAIGN = '"><svg onload=alert(1)>';
export const XSS_COMPANY = "Evil <b onmouseover=alert('x')>Corp</b>";

export interface Seeded {
  hot: { anon: string; email: string };
  rejectable: { anon: string; email: string };
  xss: { anon: string; email: string };
  cold: { anon: string; email: string };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function send(url: string, events: Parameters<typeof batchOf>[0]) {
  const response = await postBatch(url, batchOf(events));
  if (!response.ok) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
}

/** `now` is the collector's clock; events are spread over the last few days before it. */
export async function seedDashboard(url: string, now = Date.now()): Promise<Seeded> {
  const at = (daysAgo: number, hours = 0) => now - daysAgo * DAY + hours * HOUR;
  const site = 'https://www.example.com';
  const hot = { anon: 'anon_hot_1', email: 'ada@analytical.example' };
  const campaign = { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring-launch' };
  await send(url, [
    pageView(hot.anon, `${site}/`, {
      ts: at(3),
      session: 's_hot_1',
      title: 'Home',
      campaign,
      ref: 'https://www.google.com/',
    }),
    pageView(hot.anon, `${site}/pricing`, {
      ts: at(3, 0.1),
      session: 's_hot_1',
      title: 'Pricing',
      props: { pricing: true },
    }),
    pageView(hot.anon, `${site}/blog/scoring`, {
      ts: at(2),
      session: 's_hot_2',
      title: 'How lead scoring works',
      ref: 'https://news.example.org/',
    }),
    pageView(hot.anon, `${site}/pricing`, {
      ts: at(2, 0.1),
      session: 's_hot_2',
      title: 'Pricing',
      props: { pricing: true },
    }),
    trackEvent(
      hot.anon,
      'download',
      { url: `${site}/files/whitepaper.pdf` },
      { ts: at(2, 0.2), session: 's_hot_2' },
    ),
    trackEvent(hot.anon, 'form_submit', { form: 'newsletter' }, { ts: at(1), session: 's_hot_3' }),
    identifyEvent(
      hot.anon,
      hot.email,
      { name: 'Ada Lovelace', company: 'Analytical Engines', title: 'VP Engineering', company_size: 300 },
      { ts: at(1, 0.01), session: 's_hot_3' },
    ),
    trackEvent(hot.anon, 'chat', { action: 'open' }, { ts: at(1, 0.02), session: 's_hot_3' }),
    trackEvent(hot.anon, 'demo_requested', {}, { ts: at(1, 0.05), session: 's_hot_3' }),
  ]);

  const rejectable = { anon: 'anon_rej_1', email: 'grace@navy.example' };
  await send(url, [
    pageView(rejectable.anon, `${site}/`, {
      ts: at(4),
      session: 's_rej_1',
      title: 'Home',
      campaign: { utm_source: 'linkedin', utm_medium: 'social', utm_campaign: 'webinar' },
    }),
    pageView(rejectable.anon, `${site}/pricing`, {
      ts: at(4, 0.1),
      session: 's_rej_1',
      title: 'Pricing',
      props: { pricing: true },
    }),
    pageView(rejectable.anon, `${site}/pricing`, {
      ts: at(1, 2),
      session: 's_rej_2',
      title: 'Pricing',
      props: { pricing: true },
    }),
    trackEvent(
      rejectable.anon,
      'download',
      { url: `${site}/files/datasheet.pdf` },
      { ts: at(1, 2.1), session: 's_rej_2' },
    ),
    identifyEvent(
      rejectable.anon,
      rejectable.email,
      { name: 'Grace Hopper', company: 'Navy Labs', title: 'Director of Research', company_size: 5000 },
      { ts: at(1, 2.2), session: 's_rej_2' },
    ),
    trackEvent(rejectable.anon, 'chat', { action: 'message' }, { ts: at(1, 2.3), session: 's_rej_2' }),
  ]);

  const xss = { anon: 'anon_xss_1', email: 'mallory@evil.example' };
  await send(url, [
    pageView(xss.anon, `${site}/docs`, {
      ts: at(2),
      session: 's_xss_1',
      title: XSS_TITLE,
      campaign: { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: XSS_CAMPAIGN },
      props: { note: XSS_TITLE },
    }),
    identifyEvent(
      xss.anon,
      xss.email,
      { name: XSS_NAME, company: XSS_COMPANY, title: XSS_TITLE, bio: XSS_NAME },
      { ts: at(2, 0.1), session: 's_xss_1' },
    ),
  ]);

  const cold = { anon: 'anon_cold_1', email: 'student@gmail.com' };
  await send(url, [
    pageView(cold.anon, `${site}/careers`, { ts: at(5), session: 's_cold_1', title: 'Careers' }),
    identifyEvent(
      cold.anon,
      cold.email,
      { name: 'Sam Student', title: 'Student' },
      { ts: at(5, 0.1), session: 's_cold_1' },
    ),
  ]);

  // Anonymous visitors: the top of the funnel.
  for (let i = 0; i < 5; i++) {
    await send(url, [
      pageView(`anon_visitor_${i}`, `${site}/`, { ts: at(3, i), session: `s_visitor_${i}`, title: 'Home' }),
    ]);
  }
  return { hot, rejectable, xss, cold };
}
