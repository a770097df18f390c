/**
 * `GET /api/leads` (a page of the feed, JSON) and `GET /api/leads.csv` (every matching row,
 * streamed page by page so a large export never sits in memory).
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { STAGES } from '../../shared/stages';
import type { Services } from '../services';
import { csvRow } from './csv';
import { decodeCursor, encodeCursor } from './cursor';
import {
  findLeads,
  GRADES,
  LEAD_COLUMNS,
  LEAD_SORTS,
  type LeadPageRequest,
  type LeadRow,
  type LeadSort,
  sortKey,
  sortValue,
  TEMPERATURES,
} from './leads-query';
import { limitParam, listParam, numberParam, orderParam, parseQuery, textParam } from './params';

const filterParams = {
  stage: listParam(STAGES).optional(),
  min_score: numberParam.optional(),
  grade: listParam(GRADES, (s) => s.toUpperCase()).optional(),
  temperature: listParam(TEMPERATURES).optional(),
  account: textParam(253).optional(),
  source: textParam().optional(),
  campaign: textParam().optional(),
  country: textParam(200)
    .transform((value) => value.split(',').map((code) => code.trim().toUpperCase()))
    .refine(
      (codes) => codes.every((code) => /^[A-Z]{2}$/.test(code)),
      'must be two-letter country codes, comma-separated',
    )
    .optional(),
  q: textParam().optional(),
  site: textParam(100).optional(),
  owner: textParam(40).optional(),
  sort: z
    .enum(Object.keys(LEAD_SORTS) as [LeadSort, ...LeadSort[]], {
      error: `must be one of ${Object.keys(LEAD_SORTS).join(', ')}`,
    })
    .default('score'),
  order: orderParam,
};

function readRequest(c: Context, paged: boolean): LeadPageRequest {
  const params: z.output<z.ZodObject<typeof filterParams>> & { limit?: number; cursor?: string | undefined } =
    paged
      ? parseQuery(c, { ...filterParams, limit: limitParam(50, 500), cursor: z.string().max(500).optional() })
      : parseQuery(c, filterParams);
  const request: LeadPageRequest = {
    stages: params.stage,
    minScore: params.min_score,
    grades: params.grade,
    temperatures: params.temperature,
    account: params.account,
    source: params.source,
    campaign: params.campaign,
    country: params.country,
    q: params.q,
    site: params.site,
    owner: params.owner,
    sort: params.sort,
    order: params.order,
    // The CSV export walks every matching row in pages of this size.
    limit: params.limit ?? 1000,
  };
  request.after = decodeCursor(params.cursor, sortKey(request));
  return request;
}

const cursorAfter = (row: LeadRow, request: LeadPageRequest) =>
  encodeCursor({ sort: sortKey(request), value: sortValue(row, request.sort), id: row.id });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const CSV_HEADER = [...LEAD_COLUMNS];
const csvValues = (row: LeadRow) =>
  CSV_HEADER.map((column) => {
    const value = row[column];
    return column.endsWith('_seen') || column.endsWith('_at') ? iso(value as number | null) : value;
  });

export function leadsRoutes(services: Services) {
  const app = new Hono();

  app.get('/leads', async (c) => {
    const request = readRequest(c, true);
    // One row more than asked says whether there is a next page without a count query.
    const rows = await findLeads(services.db, { ...request, limit: request.limit + 1 });
    const page = rows.slice(0, request.limit);
    const last = page.at(-1);
    return c.json({
      leads: page,
      next_cursor: rows.length > request.limit && last ? cursorAfter(last, request) : null,
    });
  });

  app.get('/leads.csv', (c) => {
    const request = readRequest(c, false);
    const encoder = new TextEncoder();
    let started = false;
    let done = false;
    const body = new ReadableStream<Uint8Array>({
      // Pulled by the HTTP layer as the client reads: one keyset page per pull, so memory stays flat.
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvRow(CSV_HEADER)));
          return;
        }
        if (done) return controller.close();
        const rows = await findLeads(services.db, request);
        const last = rows.at(-1);
        if (rows.length < request.limit || !last) done = true;
        else request.after = { sort: sortKey(request), value: sortValue(last, request.sort), id: last.id };
        if (rows.length > 0)
          controller.enqueue(encoder.encode(rows.map((r) => csvRow(csvValues(r))).join('')));
        if (done) controller.close();
      },
    });
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="leads.csv"',
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
