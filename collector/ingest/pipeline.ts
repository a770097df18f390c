/**
 * The write path on one screen:
 *   validate (routes) → enrich → check signatures → [group commit: suppress erased →
 *   dedupe → resolve identity → persist → touch contacts → score] → 202
 * Everything in brackets runs in one transaction shared with concurrent requests.
 */
import type { Kysely } from 'kysely';
import type { WireEvent } from '../../shared/events';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import { erasureHash } from '../privacy';
import { scoreContacts } from '../scoring/apply';
import type { DialectName } from '../storage/database';
import type { Database } from '../storage/schema';
import { dropDuplicates } from './dedupe';
import { enrich } from './enrich';
import { resolveIdentities } from './identity';
import { insertEvents } from './persist';
import { checkSignatures } from './signature';
import { touchContacts } from './touch';
import type { IngestResult, PreparedEvent, RequestContext } from './types';
import type { Writer } from './writer';

export interface PipelineDeps {
  config: Config;
  dialect: DialectName;
  writer: Writer;
  clock: Clock;
  metrics: Metrics;
}

export type Ingest = (
  events: WireEvent[],
  ctx: RequestContext,
  adjust?: (prepared: PreparedEvent, i: number) => void,
) => Promise<IngestResult>;

/** Erased people stay erased: events carrying their anonymous id or user are dropped. */
async function suppressErased(trx: Kysely<Database>, site: string, events: PreparedEvent[]) {
  const hashes = new Map<string, string>();
  for (const e of events) {
    for (const value of [e.row.anon, e.user, e.aliasOf])
      if (value) hashes.set(value, erasureHash(site, value));
  }
  if (hashes.size === 0) return { kept: events, erased: [] as PreparedEvent[] };
  const erased = new Set(
    (
      await trx
        .selectFrom('erasures')
        .select('hash')
        .where('site', '=', site)
        .where('hash', 'in', [...hashes.values()])
        .execute()
    ).map((r) => r.hash),
  );
  if (erased.size === 0) return { kept: events, erased: [] as PreparedEvent[] };
  const isErased = (e: PreparedEvent) =>
    [e.row.anon, e.user, e.aliasOf].some((value) => value && erased.has(hashes.get(value)!));
  return { kept: events.filter((e) => !isErased(e)), erased: events.filter(isErased) };
}

export function createIngest(deps: PipelineDeps): Ingest {
  const { metrics } = deps;
  const count = (reason: string, by: number) =>
    by > 0 && metrics.inc('leadtrail_events_refused_total', 'Events refused, by reason', { reason }, by);

  return async (events, ctx, adjust) => {
    const signed = checkSignatures(ctx.site, events);
    const prepared: PreparedEvent[] = [];
    const refused: IngestResult['refused'] = [];
    events.forEach((event, i) => {
      const result = enrich(event, ctx);
      if (!result.ok) {
        refused.push({ id: result.id, reason: result.reason });
        return;
      }
      result.event.signed = signed[i] ?? false;
      adjust?.(result.event, i);
      prepared.push(result.event);
    });
    count('too_old', refused.length);
    if (prepared.length === 0) return { accepted: 0, duplicates: 0, refused };

    const outcome = await deps.writer.submit(prepared.length, async (trx) => {
      const now = deps.clock();
      const { kept, erased } = await suppressErased(trx, ctx.site.key, prepared);
      const { fresh, duplicates } =
        kept.length > 0 ? await dropDuplicates(trx, ctx.site.key, kept) : { fresh: [], duplicates: 0 };
      const touched = new Set<string>();
      if (fresh.length > 0) {
        await resolveIdentities({ trx, site: ctx.site.key, now, anonToContact: new Map(), touched }, fresh);
        const rows = fresh.map((e) => e.row);
        await insertEvents(trx, rows);
        await touchContacts(trx, rows, now);
        await scoreContacts({ trx, dialect: deps.dialect, config: deps.config, now }, [...touched].sort());
      }
      return { accepted: fresh.length, duplicates, erased };
    });

    for (const e of outcome.erased) refused.push({ id: e.row.id, reason: 'erased' });
    count('erased', outcome.erased.length);
    metrics.inc('leadtrail_events_accepted_total', 'Events stored', {}, outcome.accepted);
    metrics.inc(
      'leadtrail_events_duplicate_total',
      'Events acknowledged again (retries)',
      {},
      outcome.duplicates,
    );
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, refused };
  };
}
