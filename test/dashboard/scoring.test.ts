/**
 * `/dashboard/scoring` for a read key: the audit of the live ruleset with every number taken from
 * the audit API, outcome and horizon chosen on the page, a candidate named by a hostile event
 * name shown as text; and the contact page's score-over-time chart with its stage changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import type { AuditReport } from '../../collector/scoring/core/audit/report';
import { startCollector, TEST_READ_KEY, type TestCollector } from '../helpers/server';
import { END, type PlantedContact, plantedContacts, plantedRuleset } from '../scoring/audit/planted';
import { seedPlanted } from '../scoring/audit/seed-db';
import { type DashboardClient, dashboardClient, signIn } from './client';

const XSS_EVENT = '<img src=x onerror=alert(1)>';
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('dashboard scoring page', () => {
  let server: TestCollector;
  let client: DashboardClient;
  let contacts: PlantedContact[];

  beforeAll(async () => {
    server = await startCollector({
      clock: manualClock(END),
      workers: false,
      file: { scoring: plantedRuleset() },
    });
    contacts = plantedContacts(800, 41);
    // A hostile event name done by enough converting contacts to be proposed as a candidate.
    for (const c of contacts.filter((c) => c.outcome_at !== null).slice(0, 120)) {
      const first = c.events[0]!;
      c.events.push({
        ...first,
        id: `${first.id}x`,
        type: 'track',
        name: XSS_EVENT,
        ts: first.ts + 5,
        user: null,
      });
    }
    await seedPlanted(server, contacts);
    client = dashboardClient(server.url);
    await signIn(client, { key: TEST_READ_KEY });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const audit = async (query: string) =>
    (await (await server.api(`/api/scoring/audit?${query}`, { key: TEST_READ_KEY })).json()) as AuditReport;

  it('shows the audit API numbers to a read key, and the candidate named by a payload as text', async () => {
    const html = await client.html('/dashboard/scoring');
    const report = await audit('outcome=sql&horizon_days=30');
    expect(report.examples).toBeGreaterThan(0);
    expect(html).toContain(`<div class="kpi-value">${report.auc!.toFixed(3)}</div>`);
    expect(html).toContain(`95 % ${report.auc_ci![0].toFixed(3)}–${report.auc_ci![1].toFixed(3)}`);
    expect(html).toContain(`${(report.precision! * 100).toFixed(1)} %`);
    expect(html).toContain(`${report.mqls_per_week.toFixed(1)}</div>`);
    expect(html).toContain(`to ${report.recommended_threshold!.score} (best f1)`);
    for (const rule of report.rules) expect(html).toContain(`${rule.label}: lift`);
    expect(html).toContain(`D${report.deciles.length}`);
    expect(report.candidates.map((c) => c.id)).toContain(`event:${XSS_EVENT}`);
    expect(html).toContain(escapeHtml(`Event ${XSS_EVENT}`));
    expect(html).not.toContain(XSS_EVENT);
  });

  it('audits the outcome and horizon chosen on the page; nonsense falls back to the defaults', async () => {
    const html = await client.html('/dashboard/scoring?outcome=won&horizon_days=60');
    const report = await audit('outcome=won&horizon_days=60');
    expect(html).toContain(`reached WON within 60 days`);
    expect(html).toContain(`${report.cutoffs} weekly cutoffs`);
    expect(html).toContain('<option value="won" selected="">');
    const fallback = await client.html('/dashboard/scoring?outcome=%3Cb%3E&horizon_days=-1');
    expect(fallback).toContain('reached SQL within 30 days');
    expect(fallback).not.toContain('<b>');
  });

  it('draws the contact score over time with its stage changes', async () => {
    const converted = contacts.find((c) => c.outcome_at !== null && c.outcome_at > END - 60 * 86_400_000)!;
    const html = await client.html(`/dashboard/contacts/${converted.id}`);
    expect(html).toContain('id="score-history"');
    expect(html).toContain('<svg class="score-line"');
    expect(html).toMatch(/<title>sql on \d{4}-\d{2}-\d{2}<\/title>/);
  });
});

describe('dashboard scoring page without outcomes yet', () => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({ workers: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('says there is nothing to measure instead of failing', async () => {
    const client = dashboardClient(server.url);
    await signIn(client, { key: TEST_READ_KEY });
    const response = await client.get('/dashboard/scoring');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('0 examples from 0 contacts');
    expect(html).toContain('needs both outcomes');
    expect(html).toContain('No examples in this window.');
  });
});
