/**
 * Recording a transition writes only the transition; the outbox gets deliveries when the caller
 * hands it the transitions: one per (transition, subscribed webhook), and none for a webhook
 * that does not subscribe to the move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueWebhooks, type QueuedEvent } from '../../collector/outbox/enqueue';
import { recordTransition } from '../../collector/scoring/store';
import { writeTransaction } from '../../collector/storage/database';
import type { TransitionRow } from '../../collector/storage/schema';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

describe.each(TEST_DATABASES)('handing transitions to the outbox (%s)', (db) => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startCollector({
      db,
      workers: false,
      file: {
        webhooks: [
          {
            name: 'crm',
            url: 'https://crm.example/hook',
            secret: 'whsec_0123456789abcdef',
            events: ['contact.sql'],
          },
          {
            name: 'chat',
            url: 'https://chat.example/hook',
            secret: 'whsec_fedcba9876543210',
            events: ['contact.mql', 'contact.stage_changed'],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await collector?.close();
  });

  const outbox = () =>
    collector.services.db.selectFrom('outbox').select(['event', 'contact_id', 'payload']).execute();

  it('a recorded transition queues nothing by itself; the list handed over queues one delivery per subscriber', async () => {
    const { db } = collector.services;
    const moves = [
      { contact: 'c-enqueue-1', from: 'lead', to: 'mql' },
      { contact: 'c-enqueue-1', from: 'mql', to: 'sql' },
      { contact: 'c-enqueue-2', from: 'mql', to: 'recycled' },
    ] as const;
    const recorded: TransitionRow[] = await writeTransaction(db, async (trx) => {
      const rows: TransitionRow[] = [];
      for (const move of moves) {
        rows.push(
          await recordTransition(
            trx,
            { id: move.contact, site: TEST_SITE },
            { from: move.from, to: move.to, reason: 'test', event_ids: ['e1'], ruleset_version: 1 },
            'auto',
            1_000,
          ),
        );
      }
      return rows;
    });
    expect(recorded.map((t) => [t.contact_id, t.from_stage, t.to_stage])).toEqual(
      moves.map((m) => [m.contact, m.from, m.to]),
    );
    expect(await outbox()).toEqual([]);

    await writeTransaction(db, (trx) => enqueueWebhooks(trx, collector.config, recorded, 2_000));
    const deliveries = (await outbox())
      .map((row) => {
        const { event, transition } = JSON.parse(row.payload) as QueuedEvent;
        expect(row.event).toBe(event);
        expect(row.contact_id).toBe(transition.contact_id);
        return `${transition.id}:${transition.to_stage}:${event}`;
      })
      .sort();
    // mql → chat only; sql → crm (contact.sql) and chat (which takes every stage change it has no
    // specific event for); recycled → chat's stage_changed.
    const [mql, sql, recycled] = recorded.map((t) => t.id);
    expect(deliveries).toEqual(
      [
        `${mql}:mql:contact.mql`,
        `${sql}:sql:contact.sql`,
        `${sql}:sql:contact.stage_changed`,
        `${recycled}:recycled:contact.stage_changed`,
      ].sort(),
    );
  });
});
