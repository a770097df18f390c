/**
 * The funnel after a run, as the collector reports it: `GET /api/reports/funnel`. A collector
 * without the reports API (404) gets an approximation counted from the lead feed's stages.
 */
import { STAGE_RANK, STAGES, type Stage } from '../../../shared/stages';
import { SimulationError } from './send';

export interface FunnelCounts {
  visitors: number;
  leads: number;
  mqls: number;
  sqls: number;
}

export interface Funnel {
  /** Where the numbers came from. */
  source: 'reports' | 'leads';
  counts: FunnelCounts;
  /** Median ms from first visit to MQL and to SQL, when the reports API gives them. */
  medianMs?: { to_mql: number | null; to_sql: number | null };
}

async function getJson(url: string, key: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (response.status === 404) return { status: 404, body: null };
  if (!response.ok) {
    const hint = response.status === 401 ? ' (pass the admin key with --key or LEADTRAIL_ADMIN_KEY)' : '';
    throw new SimulationError(`GET ${new URL(url).pathname} answered ${response.status}${hint}`);
  }
  return { status: response.status, body: await response.json() };
}

interface ReportBody {
  counts: FunnelCounts;
  median_ms?: { to_mql: number | null; to_sql: number | null };
}

interface LeadsPage {
  leads: { stage: string }[];
  next_cursor: string | null;
}

/** Approximate funnel from the feed: how far each contact's current stage has come. */
async function funnelFromLeads(base: string, key: string): Promise<Funnel> {
  const counts: FunnelCounts = { visitors: 0, leads: 0, mqls: 0, sqls: 0 };
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '500', stage: STAGES.join(',') });
    if (cursor) query.set('cursor', cursor);
    const { body } = await getJson(`${base}/api/leads?${query}`, key);
    const page = body as LeadsPage | null;
    if (!page) throw new SimulationError('GET /api/leads answered 404: is this a leadtrail collector?');
    for (const lead of page.leads) {
      const rank = STAGE_RANK[lead.stage as Stage] ?? 0;
      counts.visitors++;
      if (rank >= STAGE_RANK.lead) counts.leads++;
      if (rank >= STAGE_RANK.mql) counts.mqls++;
      if (rank >= STAGE_RANK.sql) counts.sqls++;
    }
    cursor = page.next_cursor;
  } while (cursor);
  return { source: 'leads', counts };
}

export async function fetchFunnel(url: string, key: string): Promise<Funnel> {
  const base = url.replace(/\/$/, '');
  const { status, body } = await getJson(`${base}/api/reports/funnel`, key);
  if (status === 404) return funnelFromLeads(base, key);
  const report = body as ReportBody;
  return {
    source: 'reports',
    counts: report.counts,
    ...(report.median_ms ? { medianMs: report.median_ms } : {}),
  };
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`;

function duration(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/** The funnel as the CLI prints it: one line per stage with its count and step conversion. */
export function formatFunnel(funnel: Funnel): string {
  const { visitors, leads, mqls, sqls } = funnel.counts;
  const rows: [string, number, string][] = [
    ['visitors', visitors, ''],
    ['leads', leads, `${percent(leads, visitors)} of visitors`],
    ['MQLs', mqls, `${percent(mqls, leads)} of leads`],
    ['SQLs', sqls, `${percent(sqls, mqls)} of MQLs`],
  ];
  const width = String(Math.max(visitors, 1)).length;
  const title =
    funnel.source === 'reports'
      ? 'Funnel (GET /api/reports/funnel, people first seen in the last 30 days)'
      : 'Funnel (approximate, from GET /api/leads: this collector has no reports API)';
  const lines = rows.map(([label, count, rate]) =>
    `  ${label.padEnd(10)}${String(count).padStart(width)}   ${rate}`.trimEnd(),
  );
  const toMql = duration(funnel.medianMs?.to_mql);
  const toSql = duration(funnel.medianMs?.to_sql);
  if (toMql || toSql)
    lines.push(
      `  median time from first visit: ${[toMql && `to MQL ${toMql}`, toSql && `to SQL ${toSql}`].filter(Boolean).join(', ')}`,
    );
  return [title, ...lines].join('\n');
}
