/**
 * `/dashboard` (the lead feed), `/dashboard/leads.csv` (the API's CSV, same filters) and
 * `/dashboard/stream` (the API's stage-change stream, for feed.js: the browser cannot send the
 * API's Bearer key from an EventSource, the session cookie it can).
 */
import { Hono } from 'hono';
import { ApiError } from '../api-client';
import type { LeadsPage } from '../api-types';
import type { DashboardEnv } from '../context';
import { frameOf } from '../frame';
import { FeedPage } from '../views/feed';
import { filtersFrom } from '../views/lead-filters';

export function feedRoutes() {
  const app = new Hono<DashboardEnv>();

  app.get('/', async (c) => {
    const filters = filtersFrom(c.req.query());
    const cursor = c.req.query('cursor') || undefined;
    let page: LeadsPage = { leads: [], next_cursor: null };
    let error: string | undefined;
    try {
      page = await c.get('api').get<LeadsPage>('/leads', { ...filters, cursor, limit: 50 });
    } catch (e) {
      // A bad filter value is the user's typo, not a crash: show the API's message above the table.
      if (!(e instanceof ApiError) || e.status !== 400) throw e;
      error = `Filter not applied: ${e.message}`;
    }
    return c.html(
      <FeedPage
        frame={frameOf(c)}
        filters={filters}
        leads={page.leads}
        nextCursor={page.next_cursor}
        paged={cursor !== undefined}
        error={error}
      />,
    );
  });

  app.get('/leads.csv', async (c) => {
    // The API's response as it is (type, file name, streamed body): the dashboard adds only its headers.
    const response = await c.get('api').raw('/leads.csv', filtersFrom(c.req.query()));
    response.headers.set('Cache-Control', 'no-store');
    return response;
  });

  app.get('/stream', async (c) => {
    // A reconnecting EventSource says where it left off; the API resumes from there.
    const lastEventId = c.req.header('last-event-id');
    const headers = lastEventId ? { 'last-event-id': lastEventId } : undefined;
    // Passed through as the same Response, not re-wrapped: the body then ends exactly when the
    // API's stream does, and a server shutdown is not held up by the connection.
    const response = await c.get('api').raw('/leads/stream', {}, headers);
    response.headers.set('Cache-Control', 'no-store');
    response.headers.set('X-Accel-Buffering', 'no');
    return response;
  });

  return app;
}
