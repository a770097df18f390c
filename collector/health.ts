/** `/healthz` for load balancers (200 when the database answers, 503 otherwise) and `/metrics`. */
import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Services } from './services';

export function healthRoutes(services: Services) {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(services.db);
      return c.json({ status: 'ok', database: services.dialect, pending_writes: services.writer.pending() });
    } catch (error) {
      return c.json(
        { status: 'unavailable', database: services.dialect, error: (error as Error).message },
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
