/**
 * The date range every report takes: `from`/`to` as an ISO date (`2025-03-01`), an ISO
 * timestamp, or ms since epoch. A bare `to` date includes that whole day. Default: the last 30
 * days. Reports read only the configured sites (or the one asked for), which also lets every
 * event query use the (site, ts) index.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { Config } from '../../config';
import { badField } from '../../errors';
import { parseQuery, textParam } from '../params';

const DAY = 86_400_000;

export interface ReportRange {
  from: number;
  /** Exclusive. */
  to: number;
  sites: string[];
}

function parseInstant(raw: string, param: string, endOfDay: boolean): number {
  if (/^\d{1,15}$/.test(raw)) return Number(raw);
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const start = Date.parse(`${raw}T00:00:00Z`);
    if (Number.isNaN(start)) throw badField(param, 'is not a valid date');
    return endOfDay ? start + DAY : start;
  }
  const ms = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw badField(param, 'must be an ISO date (2025-03-01), ISO time or ms since epoch');
  return ms;
}

export const rangeParams = {
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  site: textParam(100).optional(),
};

export function readRange<S extends z.ZodRawShape>(c: Context, config: Config, now: number, extra: S) {
  const params = parseQuery(c, { ...rangeParams, ...extra }) as z.output<z.ZodObject<typeof rangeParams>> &
    z.output<z.ZodObject<S>>;
  const to = params.to === undefined ? now : parseInstant(params.to, 'to', true);
  const from = params.from === undefined ? to - 30 * DAY : parseInstant(params.from, 'from', false);
  if (from >= to) throw badField('from', 'must be before to');
  const sites = params.site ? [params.site] : config.sites.map((s) => s.key);
  return { range: { from, to, sites } satisfies ReportRange, params };
}

export const rangeJson = (range: ReportRange) => ({
  from: new Date(range.from).toISOString(),
  to: new Date(range.to).toISOString(),
});

export const rate = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
