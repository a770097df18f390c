/**
 * The hand-off end to end: real ingestion makes an SQL, routing gives it an owner and records
 * why, the outbox carries a Block Kit alert to a Slack receiver on a loopback port (which checks
 * the payload shape), sales reassign through the API, and an SLA clock that runs out alerts the
 * owner and the manager exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { handleBreaches } from '../../collector/handoff/breaches';
import { startDispatcher } from '../../collector/outbox/dispatcher';
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_READ_KEY, type TestCollector } from '../helpers/server';
import { startSlackReceiver } from './slack-receiver';

const MINUTE = 60_000;

async function raiseHand(server: TestCollector, n: number, traits: Record<string, string>) {
  const anon = `anon-${n}`;
  const res = await postBatch(
    server.url,
    batchOf([
      pageView(anon, 'https://site.test/pricing?utm_source=newsletter&utm_campaign=launch'),
      pageView(anon, 'https://site.test/docs/setup', { title: 'Docs <b>setup</b> & _more_' }),
      identifyEvent(anon, `buyer${n}@acme-${n}.com`, traits),
      trackEvent(anon, 'demo_requested'),
    ]),
  );
  expect(res.status).toBe(202);
  const contact = await server.services.db
    .selectFrom('contacts')
    .select('id')
    .where('email', '=', `buyer${n}@acme-${n}.com`)
    .executeTakeFirstOrThrow();
  return contact.id;
}

describe.each(TEST_DATABASES)('hand-off on %s', (db) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function setup() {
    const clock = manualClock(Date.now());
    const anaSlack = await startSlackReceiver();
    const bossSlack = await startSlackReceiver();
    cleanup.push(
      () => anaSlack.close(),
      () => bossSlack.close(),
    );
    const server = await startCollector({
      db,
      clock,
      workers: false,
      file: {
        owners: [
          {
            id: 'ana',
            name: 'Ana',
            email: 'ana@sales.example',
            slack_member_id: 'U0ANA',
            slack_webhook_url: anaSlack.url,
            territories: [{ countries: ['DE'] }],
          },
          { id: 'ben', name: 'Ben', email: 'ben@sales.example' },
          {
            id: 'max',
            name: 'Max',
            email: 'max@sales.example',
            slack_webhook_url: bossSlack.url,
            routable: false,
          },
        ],
        alerts: { dashboard_url: 'https://leads.example.com', allow_private: true },
        sla: [{ stage: 'sql', minutes: 30, escalate_to: 'max' }],
      },
    });
    cleanup.push(() => server.close());
    const dispatcher = startDispatcher(server.services, { pollMs: 3_600_000 });
    cleanup.push(() => dispatcher.stop());
    return { clock, server, anaSlack, bossSlack, dispatcher };
  }

  it('routes an SQL by territory, records why, and alerts the owner in Slack once, escaped', async () => {
    const { server, anaSlack, dispatcher } = await setup();
    const id = await raiseHand(server, 1, {
      name: 'Eve <!channel> *now*',
      company: 'Acme & Co',
      country: 'DE',
    });

    const contact = (await (await server.api(`/api/contacts/${id}`)).json()) as Record<string, unknown>;
    expect(contact).toMatchObject({
      stage: 'sql',
      owner: 'ana',
      owner_reason: 'routed to Ana: territory DE, weight 1',
    });
    expect((contact.sla as { due_at: number }).due_at).toBe((contact.sql_at as number) + 30 * MINUTE);

    await dispatcher.tick();
    await dispatcher.tick();
    expect(anaSlack.refused).toEqual([]);
    expect(anaSlack.messages).toHaveLength(1);
    const message = anaSlack.messages[0]!;
    expect(message.text).toBe('New SQL: Eve <!channel> *now* (Acme & Co)');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'New SQL: Eve <!channel> *now* (Acme & Co)' },
    });
    const mrkdwn = message.blocks.flatMap((b) => (b.text?.type === 'mrkdwn' ? [b.text.text] : [])).join('\n');
    expect(mrkdwn).toContain('Eve &lt;!channel&gt; \u200b*\u200bnow\u200b*\u200b');
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).toContain('at *Acme &amp; Co*');
    expect(mrkdwn).toContain('*Owner* <@U0ANA>');
    expect(mrkdwn).toContain('routed to Ana: territory DE, weight 1');
    expect(mrkdwn).toContain('*First touch* newsletter / launch');
    expect(mrkdwn).toMatch(/\*Why\*\n• \+\d+ /);
    expect(mrkdwn).toContain('/pricing');
    expect(mrkdwn).toContain(
      '/docs/setup — Docs &lt;b&gt;setup&lt;/b&gt; &amp; \u200b_\u200bmore\u200b_\u200b',
    );
    expect(message.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open contact' },
          url: `https://leads.example.com/dashboard/contacts/${id}`,
        },
      ],
    });
    const rows = await server.services.db
      .selectFrom('outbox')
      .select(['webhook', 'event', 'status'])
      .execute();
    expect(rows).toEqual([{ webhook: 'slack:owner:ana', event: 'alert.sql', status: 'delivered' }]);
  });

  it('retries a Slack outage with backoff and delivers once', async () => {
    const clock = manualClock(Date.now());
    const slack = await startSlackReceiver((n) => (n === 0 ? 503 : 200));
    cleanup.push(() => slack.close());
    const server = await startCollector({
      db,
      clock,
      workers: false,
      file: {
        owners: [{ id: 'ben', name: 'Ben', email: 'ben@sales.example' }],
        alerts: { allow_private: true, slack: [{ name: 'sales', url: slack.url, events: ['sql'] }] },
      },
    });
    cleanup.push(() => server.close());
    const dispatcher = startDispatcher(server.services, { pollMs: 3_600_000 });
    cleanup.push(() => dispatcher.stop());
    await raiseHand(server, 2, { name: 'Fay' });
    await dispatcher.tick();
    const [failed] = await server.services.db.selectFrom('outbox').selectAll().execute();
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 503: server_error' });
    await dispatcher.tick(); // not due yet
    expect(slack.messages).toHaveLength(0);
    clock.advance(10 * MINUTE);
    await dispatcher.tick();
    await dispatcher.tick();
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.text).toBe('New SQL: Fay');
  });

  it('reassigns through the API, filters leads by owner, and refuses bad input naming the field', async () => {
    const { server } = await setup();
    const id = await raiseHand(server, 3, { name: 'Gil', country: 'FR' });
    const owned = async (owner: string) =>
      (
        (await (await server.api(`/api/leads?owner=${owner}`)).json()) as { leads: { id: string }[] }
      ).leads.map((l) => l.id);
    expect(await owned('ben')).toEqual([id]);
    expect(await owned('ana')).toEqual([]);

    const post = (body: unknown, key?: string) =>
      server.api(`/api/contacts/${id}/owner`, {
        method: 'POST',
        body: JSON.stringify(body),
        ...(key ? { key } : {}),
      });
    const moved = await post({ owner: 'ana', reason: 'speaks French' });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { contact: unknown }).contact).toMatchObject({
      owner: 'ana',
      owner_reason: 'reassigned to Ana by admin: speaks French',
    });
    expect(await owned('ana')).toEqual([id]);
    expect(await owned('ben')).toEqual([]);

    const unknown = await post({ owner: 'zed' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { field: 'owner' } });
    expect((await post({ owner: 'ana' })).status).toBe(409);
    expect((await post({ owner: 'ben' }, TEST_READ_KEY)).status).toBe(403);
    const big = await post({ owner: 'ben', reason: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    const long = await post({ owner: 'ben', reason: 'x'.repeat(501) });
    expect(await long.json()).toMatchObject({ error: { field: 'reason' } });
    const badQuery = await server.api(`/api/leads?owner=${'x'.repeat(41)}`);
    expect(badQuery.status).toBe(400);

    const history = await server.services.db
      .selectFrom('assignments')
      .select(['owner', 'previous_owner', 'actor'])
      .where('contact_id', '=', id)
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { owner: 'ben', previous_owner: null, actor: 'routing' },
      { owner: 'ana', previous_owner: 'ben', actor: 'admin' },
    ]);
  });

  it('alerts the owner and the manager exactly once when the SLA clock runs out, not after an answer', async () => {
    const { clock, server, anaSlack, bossSlack, dispatcher } = await setup();
    const start = clock();
    const late = await raiseHand(server, 4, { name: 'Hal', country: 'DE' });
    const answered = await raiseHand(server, 5, { name: 'Ivy', country: 'DE' });
    const accept = await server.api(`/api/contacts/${answered}/stage`, {
      method: 'POST',
      body: JSON.stringify({ stage: 'accept' }),
    });
    expect(accept.status).toBe(200);

    clock.set(start + 30 * MINUTE - 1);
    expect(await handleBreaches(server.services)).toBe(0);
    clock.set(start + 30 * MINUTE);
    expect(await handleBreaches(server.services)).toBe(1);
    expect(await handleBreaches(server.services)).toBe(0);
    clock.advance(MINUTE);
    expect(await handleBreaches(server.services)).toBe(0);

    await dispatcher.tick();
    await dispatcher.tick();
    const breachTexts = anaSlack.messages.map((m) => m.text).filter((t) => t.startsWith('SLA breached'));
    expect(breachTexts).toEqual(['SLA breached: Hal']);
    expect(bossSlack.messages.map((m) => m.text)).toEqual([
      'SLA breached: Hal (escalated: Ana did not answer)',
    ]);
    const view = (await (await server.api(`/api/contacts/${late}`)).json()) as {
      sla: Record<string, number>;
    };
    expect(view.sla.breached_at).toBe(start + 30 * MINUTE);
    const ok = (await (await server.api(`/api/contacts/${answered}`)).json()) as {
      sla: Record<string, number | null>;
    };
    expect(ok.sla.breached_at).toBeNull();
    expect(ok.sla.answered_at).not.toBeNull();
  });

  it('reports speed-to-lead: system and human delay, SLA attainment, acceptance and reject reasons', async () => {
    const { clock, server, dispatcher } = await setup();
    const start = clock();
    const first = await raiseHand(server, 6, { name: 'Jo', country: 'DE' });
    const second = await raiseHand(server, 7, { name: 'Kim', country: 'DE' });
    clock.advance(2_000);
    await dispatcher.tick();
    clock.advance(10 * MINUTE);
    const move = (id: string, body: unknown) =>
      server.api(`/api/contacts/${id}/stage`, { method: 'POST', body: JSON.stringify(body) });
    expect((await move(first, { stage: 'accept' })).status).toBe(200);
    clock.advance(30 * MINUTE);
    expect((await move(second, { stage: 'reject', reason: 'student' })).status).toBe(200);

    const res = await server.api('/api/reports/handoff');
    expect(res.status).toBe(200);
    const report = (await res.json()) as { overall: Record<string, unknown>; owners: { owner: string }[] };
    expect(report.overall).toMatchObject({
      leads: 2,
      system_delay: { count: 2, median_ms: 2_000, p90_ms: 2_000 },
      human_delay: { count: 2, median_ms: 25 * MINUTE, p90_ms: 10 * MINUTE + 0.9 * 30 * MINUTE },
      sla: { met: 1, missed: 1, running: 0, attainment: 0.5 },
      answered: 2,
      accepted: 1,
      acceptance_rate: 0.5,
      reject_reasons: [{ reason: 'student', count: 1 }],
    });
    expect(report.owners.map((o) => o.owner)).toEqual(['ana']);
    expect(start).toBeLessThan(clock());
    expect((await server.api('/api/reports/handoff?from=yesterday')).status).toBe(400);
  });
});
