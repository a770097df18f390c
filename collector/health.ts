/**
 * `/healthz` for load balancers (200 when the database answers, 503 otherwise) and `/metrics`.
 * Neither says more than an operator's dashboard needs: /healthz gives a reason code, never the
 * database's own error text (it can hold paths, host names, SQL), which goes to the log instead;
 * /metrics can require a bearer token (`metrics.token`).
 */
import { Hono } from 'hono';
import { sql } from 'kysely';
import { safeEqual } from './dashboard/secret';
import { isUnavailable } from './errors';
import { STATUS } from './outbox/dispatcher';
import type { Services } from './services';
import { isBusy, isConnectionLost, isDiskFull } from './storage/errors';

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
    { cached: true },
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
    { cached: true },
  );
  metrics.gauge(
    'leadtrail_contacts',
    'Contacts by lifecycle stage',
    async () => {
      const rows = await db
        .selectFrom('contacts')
        .select(['stage', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('stage')
        .execute();
      return rows.map((r): [Record<string, string>, number] => [{ stage: r.stage }, Number(r.n)]);
    },
    { cached: true },
  );
}

/** A reason a load balancer and an operator can act on, without the driver's message. */
function reasonOf(error: unknown): string {
  if (isDiskFull(error)) return 'storage_full';
  if (isBusy(error)) return 'storage_busy';
  if (isConnectionLost(error)) return 'database_unreachable';
  return 'storage_error';
}

const DESCRIPTIONS: Record<string, string> = {
  storage_full: 'storage full: writes are refused until space is freed',
  storage_busy: 'storage busy: writes wait past the busy timeout',
  database_unreachable: 'database unreachable',
  storage_error: 'the database refused a write (details in the collector log)',
};

/** The bearer token of a request, or '' (any length; compared in constant time). */
const bearer = (header: string | undefined) =>
  /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '')?.[1]?.trim() ?? '';

export function healthRoutes(services: Services) {
  registerGauges(services);
  const { token } = services.config.metrics;
  const app = new Hono();
  let logged: unknown;
  const logOnce = (error: unknown) => {
    if (logged === error) return;
    logged = error;
    console.error('healthz: database unavailable:', (error as Error).message);
  };
  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(services.db);
      // A database that answers reads but refuses writes (full disk, held lock) is not healthy.
      const writeError = services.writer.lastError();
      if (writeError && isUnavailable(writeError)) {
        logOnce(writeError);
        const reason = reasonOf(writeError);
        return c.json(
          {
            status: 'unavailable',
            database: services.database.dialect,
            reason,
            error: DESCRIPTIONS[reason],
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
      logOnce(error);
      const reason = reasonOf(error);
      return c.json(
        { status: 'unavailable', database: services.database.dialect, reason, error: DESCRIPTIONS[reason] },
        503,
      );
    }
  });
  app.get('/metrics', async (c) => {
    if (token !== undefined && !safeEqual(bearer(c.req.header('authorization')), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="leadtrail metrics"');
      return c.json(
        { error: { code: 'unauthorized', message: 'metrics need Authorization: Bearer <metrics.token>' } },
        401,
      );
    }
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(await services.metrics.render());
  });
  return app;
}
