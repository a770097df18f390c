/**
 * `/dashboard/contacts/:id` (the contact page) and its sales form: POST → the API's stage move
 * → redirect back with a flash message saying what happened (or what the API refused).
 */
import { Hono } from 'hono';
import type { Services } from '../../services';
import { ApiError } from '../api-client';
import type { ContactView, ScoreHistory, TimelinePage } from '../api-types';
import type { DashboardEnv } from '../context';
import { setFlash } from '../flash';
import { frameOf } from '../frame';
import { stageLabel } from '../views/badges';
import { ContactPage } from '../views/contact';

/** Sales' words → the stage they lead to, and whether a reason is required. */
const MOVES: Record<string, { stage: string; needsReason: boolean }> = {
  accept: { stage: 'sal', needsReason: false },
  qualify: { stage: 'sql', needsReason: false },
  reject: { stage: 'recycled', needsReason: true },
  disqualify: { stage: 'disqualified', needsReason: true },
};

export const contactHref = (id: string) => `/dashboard/contacts/${encodeURIComponent(id)}`;

export function contactRoutes(services: Services, secret: Buffer) {
  const app = new Hono<DashboardEnv>();
  const { trustProxy } = services.config;

  app.get('/contacts/:id', async (c) => {
    const id = c.req.param('id');
    const api = c.get('api');
    const path = `/contacts/${encodeURIComponent(id)}`;
    const cursor = c.req.query('tl') || undefined;
    const [contact, timeline, history] = await Promise.all([
      api.get<ContactView>(path),
      api.get<TimelinePage>(`${path}/timeline`, { limit: 100, cursor }),
      // The last 90 days (or since first seen), one point a day.
      api.get<ScoreHistory>(`${path}/score-history`, { step: 'day' }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status < 500) return null;
        throw error;
      }),
    ]);
    const olderHref = timeline.next_cursor
      ? `${contactHref(id)}?tl=${encodeURIComponent(timeline.next_cursor)}`
      : null;
    return c.html(
      <ContactPage
        frame={frameOf(c)}
        contact={contact}
        events={timeline.events}
        olderHref={olderHref}
        history={history}
      />,
    );
  });

  app.post('/contacts/:id/stage', async (c) => {
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const move = MOVES[String(body.move ?? '')];
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    const back = () => c.redirect(contactHref(id), 303);
    const flash = (kind: 'ok' | 'error', text: string) => setFlash(c, secret, { kind, text }, trustProxy);
    if (!move) {
      flash('error', 'Unknown action.');
      return back();
    }
    if (move.needsReason && !reason) {
      flash('error', `A reason is required to ${String(body.move)} a lead.`);
      return back();
    }
    if (c.get('session').access !== 'full') {
      flash('error', 'Your key is read-only: sign in with a full key to move leads.');
      return back();
    }
    try {
      await c.get('api').post(`/contacts/${encodeURIComponent(id)}/stage`, {
        stage: String(body.move),
        ...(reason ? { reason } : {}),
      });
      flash('ok', `Moved to ${stageLabel(move.stage)}.`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      flash('error', `Not moved: ${error.message}`);
    }
    return back();
  });

  return app;
}
