/**
 * `/dashboard/rules` over real HTTP with the real forms: edit a rule's points in the form, see the
 * preview change, publish, see the lead feed change; a `<script>` in a rule label stays text; a
 * viewer sees no editing forms and the server refuses a forged one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { identifyEvent, pageView } from '../helpers/events';
import { ROLE_KEYS, roleKeyEntries } from '../helpers/roles';
import { startCollector, type TestCollector } from '../helpers/server';
import { type ManualClock, send } from '../scoring/live';
import { csrfToken, dashboardClient, signIn } from './client';

const NOW = Date.UTC(2025, 5, 16, 12);

describe('dashboard rules editor', () => {
  let collector: TestCollector;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = manualClock(NOW);
    collector = await startCollector({ clock, workers: false, file: { api_keys: roleKeyEntries() } });
    await send(collector, clock, [
      identifyEvent('a1', 'pat@acme-corp.com', {}, { ts: NOW - 3_600_000 }),
      pageView('a1', 'http://localhost:1/pricing', { ts: NOW - 3_000_000, props: { pricing: true } }),
    ]);
  });
  afterAll(() => collector?.close());

  it('edit points in the form → the preview changes → publish → the lead feed changes', async () => {
    const admin = dashboardClient(collector.url);
    await signIn(admin, { key: ROLE_KEYS.admin });
    const rules = await admin.html('/dashboard/rules');
    expect(rules).toContain('Live ruleset: v1');
    const created = await admin.post('/dashboard/rules/drafts', { _csrf: csrfToken(rules), name: 'pricing' });
    expect(created.status).toBe(303);
    const draftPath = created.headers.get('location')!;
    const page = await admin.html(draftPath);
    const csrf = csrfToken(page);

    const before = await admin.post(`${draftPath}/preview`, { _csrf: csrf });
    const beforeHtml = await before.text();
    expect(beforeHtml).toMatch(/<td class="mqls-draft">0<\/td>/);

    // The form carries every field; change one rule's points (pricing_view is the second engagement rule).
    const fields = Object.fromEntries(
      [...page.matchAll(/<input type="(?:text|number)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    expect(fields['engagement.1.points']).toBe('10');
    const saved = await admin.post(draftPath, {
      ...fields,
      _csrf: csrf,
      'engagement.1.points': '45',
      'engagement.1.label': '<script>alert(1)</script>',
    });
    expect(saved.status).toBe(303);
    const edited = await admin.html(draftPath);
    expect(edited).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(edited).not.toContain('<script>alert(1)');

    const after = await (await admin.post(`${draftPath}/preview`, { _csrf: csrf })).text();
    expect(after).toMatch(/<td class="mqls-draft">1<\/td>/);
    expect(after).toContain('pat@acme-corp.com');
    expect(after).not.toContain('<script>alert(1)');

    const feedBefore = await admin.html('/dashboard?stage=mql');
    expect(feedBefore).not.toContain('pat@acme-corp.com');
    const published = await admin.post(`${draftPath}/publish`, { _csrf: csrf, note: 'pricing counts more' });
    expect(published.status).toBe(303);
    await collector.services.rescorer.idle();
    expect(await admin.html('/dashboard?stage=mql')).toContain('pat@acme-corp.com');
    expect(await admin.html('/dashboard/rules')).toMatch(
      /Live ruleset: v2[\s\S]*pricing counts more[\s\S]*done 1\/1/,
    );
  });

  it('a viewer sees no editing forms, and the server refuses a forged one', async () => {
    const viewer = dashboardClient(collector.url);
    await signIn(viewer, { key: ROLE_KEYS.viewer });
    const rules = await viewer.html('/dashboard/rules');
    expect(rules).not.toContain('Start from live');
    const forged = await viewer.post('/dashboard/rules/drafts', { _csrf: csrfToken(rules), name: 'sneaky' });
    expect(forged.status).toBe(303);
    const drafts = await collector.services.db.selectFrom('ruleset_drafts').select('name').execute();
    expect(drafts.map((d) => d.name)).not.toContain('sneaky');
  });
});
