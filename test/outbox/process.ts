/**
 * Helpers for webhook tests: make someone an SQL through real ingestion (a demo request), and
 * start another collector process on the same database (a restart, or a second instance).
 */
import { sql } from 'kysely';
import { type RunningServer, type StartOptions, startServer } from '../../collector/server';
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import type { TestCollector } from '../helpers/server';

/** Page views, an identify and a demo request: the contact becomes a lead, then an SQL. */
export async function raiseHand(server: { url: string }, n: number | string, pages = 3): Promise<void> {
  const anon = `anon-${n}`;
  const views = Array.from({ length: pages }, (_, i) =>
    pageView(anon, `https://site.test/page-${i}?utm_source=newsletter&utm_campaign=launch`),
  );
  const res = await postBatch(
    server.url,
    batchOf([
      ...views,
      identifyEvent(anon, `buyer${n}@acme-${n}.com`, { name: `Buyer ${n}`, company: `Acme ${n}` }),
      trackEvent(anon, 'demo_requested'),
    ]),
  );
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
}

/** Another collector process on `server`'s database (same SQLite file or PostgreSQL schema). */
export async function sameDatabase(
  server: TestCollector,
  options: StartOptions = {},
): Promise<RunningServer> {
  const database =
    server.services.database.dialect === 'postgres'
      ? {
          schema: (
            await sql<{ schema: string }>`select current_schema() as schema`.execute(server.services.db)
          ).rows[0]!.schema,
        }
      : {};
  return startServer(server.config, { ...options, database });
}
