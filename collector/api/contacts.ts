/**
 * One person: `GET /api/contacts/:id` (profile, score and why, stage history, touches),
 * `/timeline` (events newest first, paged), `/export` (everything stored, as a download),
 * `POST /:id/stage` (sales moves) and `DELETE /:id` (erasure). Stage moves need a role that moves stages (sales, admin); erasure needs admin.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { type AuthVariables, requireKey } from '../auth';
import { badField, notFound } from '../errors';
import { readReassign, reassign } from '../handoff/reassign';
import { moveStage } from '../scoring/transition';
import type { Services } from '../services';
import { loadContactView, loadTimeline } from './contact-view';
import { decodeCursor, encodeCursor } from './cursor';
import { eraseContact } from './erase';
import { exportContact } from './export';
import { limitParam, parseQuery } from './params';
import { readStageMove } from './stage-move';

const TIMELINE_SORT = 'timeline';

export function contactsRoutes(services: Services) {
  const { db } = services;
  const app = new Hono<{ Variables: AuthVariables }>();
  const mayMoveStages = requireKey(services.config, 'move_stage');
  const mayErase = requireKey(services.config, 'erase');

  app.get('/contacts/:id', async (c) => {
    parseQuery(c, {});
    const view = await loadContactView(db, services.config.scoring, c.req.param('id'));
    if (!view) throw notFound('contact');
    return c.json(view);
  });

  app.get('/contacts/:id/timeline', async (c) => {
    const params = parseQuery(c, { limit: limitParam(50, 500), cursor: z.string().max(200).optional() });
    const id = c.req.param('id');
    const after = decodeCursor(params.cursor, TIMELINE_SORT);
    if (after && !/^\d{1,15}$/.test(after.id)) throw badField('cursor', 'is not a cursor from this API');
    const exists = await db.selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw notFound('contact');
    const { items, last, more } = await loadTimeline(db, id, params.limit, after);
    return c.json({
      events: items,
      next_cursor:
        more && last ? encodeCursor({ sort: TIMELINE_SORT, value: last.ts, id: String(last.seq) }) : null,
    });
  });

  app.get('/contacts/:id/export', async (c) => {
    parseQuery(c, {});
    const id = c.req.param('id');
    const readOnly = c.get('apiKey').role !== 'admin';
    const data = await exportContact(
      db,
      id,
      services.clock(),
      readOnly ? { hideWebhookUrls: services.config.webhooks } : {},
    );
    if (!data) throw notFound('contact');
    c.header('Content-Disposition', `attachment; filename="contact-${id.replace(/[^\w-]/g, '_')}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(data);
  });

  app.post('/contacts/:id/stage', mayMoveStages, async (c) => {
    const move = await readStageMove(c);
    const id = c.req.param('id');
    const exists = await db.selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw notFound('contact');
    const transition = await moveStage(services, id, move.stage, move.reason, c.get('apiKey').name);
    return c.json({ transition, contact: await loadContactView(db, services.config.scoring, id) });
  });

  app.post('/contacts/:id/owner', mayMoveStages, async (c) => {
    const body = await readReassign(c);
    const id = c.req.param('id');
    await reassign(services, id, body.owner, body.reason, c.get('apiKey').name);
    return c.json({ contact: await loadContactView(db, services.config.scoring, id) });
  });

  app.delete('/contacts/:id', mayErase, async (c) => {
    const result = await eraseContact(services, c.req.param('id'));
    if (!result) throw notFound('contact');
    return c.json(result);
  });

  return app;
}
