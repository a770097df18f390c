/**
 * `GET /api/leads`: the lead feed. (Walking-skeleton version: newest activity first.)
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';

export function leadsRoutes(db: Kysely<Database>) {
  const app = new Hono();
  app.get('/leads', async (c) => {
    const rows = await db
      .selectFrom('contacts')
      .select([
        'id',
        'site',
        'email',
        'name',
        'company',
        'stage',
        'score',
        'grade',
        'temperature',
        'source',
        'last_seen',
      ])
      .orderBy('last_seen', 'desc')
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    return c.json({ leads: rows, next_cursor: null });
  });
  return app;
}
