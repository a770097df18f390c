/**
 * PostgreSQL connections killed mid-transaction (pg_terminate_backend at random moments while
 * batches stream in): a batch is either wholly stored or not at all, everything acknowledged is
 * there, and the collector recovers without a restart. Runs when TEST_DATABASE_URL is set.
 */
import { nanoid } from 'nanoid';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BROWSER_UA } from '../helpers/events';
import { startCollector, TEST_SITE } from '../helpers/server';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('PostgreSQL connection dropped mid-transaction', () => {
  it('never half-writes a batch and keeps every acknowledged event', async () => {
    const server = await startCollector({ db: 'postgres' });
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    const batches: { ids: string[]; acknowledged: boolean }[] = [];
    let running = true;
    let kills = 0;
    try {
      const sender = async (n: number) => {
        while (running) {
          const anon = `drop-${n}-${nanoid(6)}`;
          const ids = Array.from({ length: 5 }, () => nanoid());
          const now = Date.now();
          const events = ids.map((id, i) =>
            i === 4
              ? { id, type: 'identify', ts: now, anon, user: `${anon}@drop.io` }
              : { id, type: 'page', ts: now, anon, url: `http://localhost:1/${i}` },
          );
          const batch = { ids, acknowledged: false };
          batches.push(batch);
          try {
            const response = await fetch(`${server.url}/collect`, {
              method: 'POST',
              headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
              body: JSON.stringify({ site: TEST_SITE, sent_at: now, events }),
            });
            batch.acknowledged = response.status === 202;
            expect([202, 503]).toContain(response.status);
          } catch {
            // a dropped request is simply not acknowledged
          }
        }
      };
      const senders = Array.from({ length: 6 }, (_, n) => sender(n));
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 40 + Math.random() * 80));
        const result = await killer.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and application_name = '' and state <> 'idle'`,
        );
        kills += result.rowCount ?? 0;
      }
      running = false;
      await Promise.all(senders);

      // The collector recovered: a fresh batch is accepted.
      const probe = nanoid();
      const ok = await fetch(`${server.url}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
        body: JSON.stringify({
          site: TEST_SITE,
          events: [{ id: probe, type: 'page', ts: Date.now(), anon: 'drop-probe' }],
        }),
      });
      expect(ok.status).toBe(202);

      const stored = new Set(
        (await server.services.db.selectFrom('events').select('id').execute()).map((r) => r.id),
      );
      for (const batch of batches) {
        const present = batch.ids.filter((id) => stored.has(id)).length;
        expect(
          present === 0 || present === batch.ids.length,
          `batch stored ${present} of ${batch.ids.length}`,
        ).toBe(true);
        if (batch.acknowledged) expect(present).toBe(batch.ids.length);
      }
      expect(batches.filter((b) => b.acknowledged).length).toBeGreaterThan(10);
      expect(kills).toBeGreaterThan(0);
    } finally {
      running = false;
      await killer.end();
      await server.close();
    }
  }, 90_000);
});
