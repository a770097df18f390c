/**
 * `GET /api/leads/stream`: Server-Sent Events of stage changes, for a live feed. Each client
 * tails the transitions table by id, so a move made by any process on the same database shows
 * up; the SSE `id` is the transition id, so a reconnecting EventSource resumes exactly where it
 * left off (Last-Event-ID, or `?since=`). Comment lines keep proxies from closing an idle stream.
 */
import type { Server } from 'node:http';
import { type Context, Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { STAGES } from '../../shared/stages';
import type { AuthVariables } from '../auth';
import { AppError, badField } from '../errors';
import { readJson } from '../json-column';
import type { Services } from '../services';
import type { Database } from '../storage/schema';
import { listParam, parseQuery, textParam } from './params';

export interface StreamOptions {
  pollMs: number;
  heartbeatMs: number;
  /** Streams end after this long; EventSource reconnects with Last-Event-ID and loses nothing. */
  maxLifetimeMs: number;
  /**
   * Open streams per key in this process; one more is a 429. Each stream polls the database,
   * so one leaked or hostile key must not open thousands of them.
   */
  maxPerKey?: number;
}

export const STREAM_DEFAULTS: StreamOptions = {
  pollMs: 1000,
  heartbeatMs: 15_000,
  maxLifetimeMs: 10 * 60_000,
  maxPerKey: 5,
};

/**
 * On PostgreSQL, ids are handed out before commit, so a slow transaction can commit id 41 after
 * id 42 was sent. Each poll looks back this many ids and sends what it has not sent yet.
 */
const LOOKBACK = 200;

async function transitionsAfter(
  db: Kysely<Database>,
  after: number,
  filter: { stages?: string[] | undefined; site?: string | undefined },
) {
  let query = db
    .selectFrom('transitions as t')
    .leftJoin('contacts as c', 'c.id', 't.contact_id')
    .select([
      't.id',
      't.contact_id',
      't.site',
      't.from_stage',
      't.to_stage',
      't.reason',
      't.event_ids',
      't.actor',
      't.at',
      'c.email',
      'c.name',
      'c.company',
      'c.score',
      'c.grade',
      'c.temperature',
      'c.stage',
    ])
    .where('t.id', '>', after);
  if (filter.stages) query = query.where('t.to_stage', 'in', filter.stages);
  if (filter.site) query = query.where('t.site', '=', filter.site);
  return query.orderBy('t.id').limit(500).execute();
}

type TransitionEvent = Awaited<ReturnType<typeof transitionsAfter>>[number];

const eventData = (t: TransitionEvent) =>
  JSON.stringify({
    id: t.id,
    contact_id: t.contact_id,
    site: t.site,
    from: t.from_stage,
    to: t.to_stage,
    reason: t.reason,
    event_ids: readJson(t.event_ids, 'transitions.event_ids') ?? [],
    actor: t.actor,
    at: t.at,
    contact:
      t.stage === null
        ? null
        : {
            id: t.contact_id,
            email: t.email,
            name: t.name,
            company: t.company,
            score: t.score,
            grade: t.grade,
            temperature: t.temperature,
            stage: t.stage,
          },
  });

async function latestTransitionId(db: Kysely<Database>): Promise<number> {
  const last = await db
    .selectFrom('transitions')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(last?.id ?? 0);
}

function startPosition(c: Context, since: number | undefined): number | undefined {
  const header = c.req.header('last-event-id');
  if (header !== undefined && header !== '') {
    if (!/^\d{1,15}$/.test(header)) throw badField('Last-Event-ID', 'must be a transition id');
    return Number(header);
  }
  return since;
}

/** The Node server behind this request has stopped listening: end the stream so shutdown can finish. */
const serverClosing = (c: Context): boolean => {
  const incoming = (c.env as { incoming?: { socket?: { server?: Server } } } | undefined)?.incoming;
  return incoming?.socket?.server?.listening === false;
};

export function streamRoutes(services: Services, options: StreamOptions = STREAM_DEFAULTS) {
  const app = new Hono<{ Variables: Partial<AuthVariables> }>();
  const maxPerKey = options.maxPerKey ?? STREAM_DEFAULTS.maxPerKey!;
  /** Open streams by key (the key itself: two keys may share a name). */
  const openStreams = new Map<string, number>();
  app.get('/leads/stream', async (c) => {
    const params = parseQuery(c, {
      since: z
        .string()
        .regex(/^\d{1,15}$/, 'must be a transition id')
        .transform(Number)
        .optional(),
      stage: listParam(STAGES).optional(),
      site: textParam(100).optional(),
    });
    const filter = { stages: params.stage, site: params.site };
    const start = startPosition(c, params.since);
    // A new client wants what happens from now on.
    let cursor = start ?? (await latestTransitionId(services.db));
    const floor = cursor;

    const holder = c.get('apiKey')?.key ?? '';
    const held = openStreams.get(holder) ?? 0;
    if (held >= maxPerKey) {
      throw new AppError(
        429,
        'rate_limited',
        `at most ${maxPerKey} open streams per key; close one (or reuse it) and retry`,
        undefined,
        5,
      );
    }
    openStreams.set(holder, held + 1);
    let released = false;
    // Freed as soon as the client goes (not at the loop's next wake-up), so a reconnect that
    // follows a disconnect at once is not refused.
    const release = () => {
      if (released) return;
      released = true;
      const left = (openStreams.get(holder) ?? 1) - 1;
      if (left > 0) openStreams.set(holder, left);
      else openStreams.delete(holder);
    };

    const run = async (stream: SSEStreamingApi) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
        release();
      });
      const sent = new Set<number>();
      const started = Date.now();
      let lastWrite = Date.now();
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ last_event_id: cursor }), retry: 3000 });
      while (open && !serverClosing(c) && Date.now() - started < options.maxLifetimeMs) {
        const rows = await transitionsAfter(services.db, Math.max(floor, cursor - LOOKBACK), filter);
        for (const row of rows) {
          if (sent.has(row.id)) continue;
          sent.add(row.id);
          cursor = Math.max(cursor, row.id);
          await stream.writeSSE({ id: String(row.id), event: 'stage_changed', data: eventData(row) });
          lastWrite = Date.now();
        }
        for (const id of sent) if (id <= cursor - LOOKBACK) sent.delete(id);
        if (Date.now() - lastWrite >= options.heartbeatMs) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        if (rows.length < 500) await stream.sleep(options.pollMs);
      }
    };
    const response = streamSSE(c, async (stream) => {
      try {
        await run(stream);
      } finally {
        release();
      }
    });
    // Once a stream ends (lifetime, shutdown) its connection is done too: a kept-alive idle
    // socket would hold a closing server open for the keep-alive timeout.
    response.headers.set('Connection', 'close');
    return response;
  });
  return app;
}
