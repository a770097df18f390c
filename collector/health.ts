/** `/healthz` for load balancers (200 when the database answers, 503 otherwise) and `/metrics`. */
import { Hono } from 'hono';
import { sql } from 'kysely';
import { isUnavailable } from './errors';
import { STATUS } from './outbox/dispatcher';
import type { Services } from './services';
import { isDiskFull } from './storage/errors';

/** Gauges read from the database at scrape time: shared state, so every process reports the same. */
function registerGauges(services: Services): void {
  const { db, metrics, clock } = services;
  const waiting = [STATUS.pending, STATUS.sending];
  metrics.gauge(
    'leadtrail_outbox_pending',
    'Webhook deliveries waiting to be sent (queue depth)',
    async () => {
      const row = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', waiting)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  );
  metrics.gauge(
    'leadtrail_outbox_oldest_pending_seconds',
    'Age of the oldest undelivered webhook',
    async () => {
      const row = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min<number>('created_at').as('oldest'))
        .where('status', 'in', waiting)
        .executeTakeFirst();
      return row?.oldest == null ? 0 : Math.max(0, Math.round((clock() - Number(row.oldest)) / 1000));
    },
  );
  metrics.gauge('leadtrail_contacts', 'Contacts by lifecycle stage', async () => {
    const rows = await db
      .selectFrom('contacts')
      .select(['stage', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('stage')
      .execute();
    return rows.map((r): [Record<string, string>, number] => [{ stage: r.stage }, Number(r.n)]);
  });
}

export function healthRoutes(services: Services) {
  registerGauges(services);
  const app = new Hono();
  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(services.db);
      // A database that answers reads but refuses writes (full disk, held lock) is not healthy.
      const writeError = services.writer.lastError();
      if (writeError && isUnavailable(writeError)) {
        return c.json(
          {
            status: 'unavailable',
            database: services.database.dialect,
            error: isDiskFull(writeError) ? `storage full: ${writeError.message}` : writeError.message,
            since: new Date(writeError.at).toISOString(),
          },
          503,
        );
      }
      return c.json({
        status: 'ok',
        database: services.database.dialect,
        writer: services.writer.mode,
        pending_writes: services.writer.pending(),
      });
    } catch (error) {
      return c.json(
        { status: 'unavailable', database: services.database.dialect, error: (error as Error).message },
        503,
      );
    }
  });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(await services.metrics.render());
  });
  return app;
}
