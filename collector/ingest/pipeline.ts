/**
 * The write path on one screen:
 *   validate (routes) → enrich → check signatures → [group commit: suppress erased → dedupe →
 *   resolve identity → persist → touch contacts → score → lifecycle → outbox] → 202
 * Everything in brackets runs in one transaction shared with concurrent requests
 * (writer/writer.ts), so a 202 means the events, the new scores, the stage transitions and
 * their webhook deliveries are all committed.
 */
import type { Kysely } from 'kysely';
import type { WireEvent } from '../../shared/events';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { createGeoLookup } from '../geo/lookup';
import type { Metrics } from '../metrics';
import { enqueueWebhooks } from '../outbox/enqueue';
import type { ErasureHasher } from '../privacy';
import { advanceLifecycle, scoreContacts } from '../scoring/apply';
import type { LiveRules } from '../scoring/live-rules';
import type { Database } from '../storage/schema';
import { dropDuplicates } from './dedupe';
import { enrich } from './enrich';
import { resolveIdentities } from './identity';
import { insertEvents } from './persist';
import { checkSignatures } from './signature';
import { touchContacts } from './touch';
import type { IngestResult, PreparedEvent, RequestContext } from './types';
import type { Writer } from './writer/writer';

export interface PipelineDeps {
  config: Config;
  clock: Clock;
  metrics: Metrics;
  rules: LiveRules;
  /** Keyed erasure hashes (privacy.ts), computed on the request thread. */
  erasure: ErasureHasher;
}

/** One request's events on their way into the group commit. */
export interface IngestJob {
  site: string;
  events: PreparedEvent[];
  /** Value → its erasure hashes, for each identifier the batch names (erasureHashes). */
  hashes: Map<string, readonly string[]>;
}

export interface JobOutcome {
  accepted: number;
  duplicates: number;
  /** Ids of the events dropped because their person was erased. */
  erased: string[];
}

export type Ingest = (
  events: WireEvent[],
  ctx: RequestContext,
  adjust?: (prepared: PreparedEvent, i: number) => void,
) => Promise<IngestResult>;

/**
 * Every identifier an event names: its anonymous id, user (email or user id), Segment's
 * separate `userId`, an alias's previous id, and an email in its traits. Any one of them erased
 * drops the event: a Segment source that names the person by a user id or an email only must
 * not bring them back.
 */
function identifiersOf(e: PreparedEvent): (string | null | undefined)[] {
  const email = e.traits?.email;
  return [e.row.anon, e.user, e.userId, e.aliasOf, typeof email === 'string' ? email : undefined];
}

/**
 * The erasure hashes of every identifier a batch names. Computed on the request thread, before
 * the job joins a group commit: hashing is CPU work the transaction need not wait on.
 */
export function erasureHashes(
  hasher: ErasureHasher,
  site: string,
  events: PreparedEvent[],
): Map<string, readonly string[]> {
  const hashes = new Map<string, readonly string[]>();
  for (const e of events) {
    for (const value of identifiersOf(e))
      if (value && !hashes.has(value)) hashes.set(value, hasher.all(site, value));
  }
  return hashes;
}

/** Erased people stay erased: events carrying any of their identifiers are dropped. */
async function suppressErased(
  trx: Kysely<Database>,
  site: string,
  events: PreparedEvent[],
  hashes: Map<string, readonly string[]>,
) {
  if (hashes.size === 0) return new Set<PreparedEvent>();
  const erased = new Set(
    (
      await trx
        .selectFrom('erasures')
        .select('hash')
        .where('site', '=', site)
        .where('hash', 'in', [...new Set([...hashes.values()].flat())])
        .execute()
    ).map((r) => r.hash),
  );
  if (erased.size === 0) return new Set<PreparedEvent>();
  return new Set(
    events.filter((e) =>
      identifiersOf(e).some((value) => value && hashes.get(value)?.some((hash) => erased.has(hash))),
    ),
  );
}

/** The jobs of one site within a group commit. */
interface SiteBatch {
  site: string;
  /** Positions of the site's jobs in the group. */
  indices: number[];
  events: PreparedEvent[];
  hashes: Map<string, readonly string[]>;
}

function siteBatches(jobs: IngestJob[]): SiteBatch[] {
  return [...new Set(jobs.map((job) => job.site))].map((site) => {
    const indices = jobs.flatMap((job, i) => (job.site === site ? [i] : []));
    return {
      site,
      indices,
      events: indices.flatMap((i) => jobs[i]!.events),
      hashes: new Map(indices.flatMap((i) => [...jobs[i]!.hashes])),
    };
  });
}

/** Each job's answer: how many of its events were stored, already stored, or erased. */
function tally(
  outcomes: JobOutcome[],
  jobs: IngestJob[],
  batch: SiteBatch,
  erased: Set<PreparedEvent>,
  fresh: Set<PreparedEvent>,
): void {
  for (const i of batch.indices) {
    const outcome = outcomes[i]!;
    for (const event of jobs[i]!.events) {
      if (erased.has(event)) outcome.erased.push(event.row.id);
      else if (fresh.has(event)) outcome.accepted++;
      else outcome.duplicates++;
    }
  }
}

/**
 * The transaction of one group commit: every stage runs once over all the events of all the
 * requests in the group (per site for the event stages), so a busy collector does a few queries
 * per group rather than per request.
 */
export function commitGroup(deps: Pick<PipelineDeps, 'config' | 'clock' | 'rules'>) {
  return async (trx: Kysely<Database>, jobs: IngestJob[]): Promise<JobOutcome[]> => {
    const now = deps.clock();
    const outcomes: JobOutcome[] = jobs.map(() => ({ accepted: 0, duplicates: 0, erased: [] }));
    const touched = new Set<string>();
    for (const batch of siteBatches(jobs)) {
      const { site } = batch;
      const erased = await suppressErased(trx, site, batch.events, batch.hashes);
      const kept = erased.size > 0 ? batch.events.filter((e) => !erased.has(e)) : batch.events;
      const fresh = new Set(kept.length > 0 ? (await dropDuplicates(trx, site, kept)).fresh : []);
      tally(outcomes, jobs, batch, erased, fresh);
      if (fresh.size === 0) continue;
      const events = [...fresh];
      await resolveIdentities(
        { trx, site, now, anonToContact: new Map(), touched, rules: deps.config.scoring },
        events,
      );
      const rows = events.map((e) => e.row);
      await insertEvents(trx, rows);
      await touchContacts(trx, rows, now);
    }
    const scoring = { trx, config: deps.config, now, live: deps.rules };
    const scored = await scoreContacts(scoring, [...touched].sort());
    const transitions = await advanceLifecycle(scoring, scored);
    await enqueueWebhooks(trx, deps.config, transitions, now);
    return outcomes;
  };
}

export function createIngest(deps: PipelineDeps, writer: Writer<IngestJob, JobOutcome>): Ingest {
  const { metrics } = deps;
  const geo = createGeoLookup(deps.config.geo);
  const count = (reason: string, by: number) =>
    by > 0 && metrics.inc('leadtrail_events_refused_total', 'Events refused, by reason', { reason }, by);

  return async (events, requestCtx, adjust) => {
    // Looked up once per request, from the whole address, before enrich truncates it.
    const ctx: RequestContext = { ...requestCtx, place: geo(requestCtx.ip) };
    const signed = ctx.proven ?? checkSignatures(ctx.site, events, ctx.trust, ctx.receivedAt);
    const prepared: PreparedEvent[] = [];
    const refused: IngestResult['refused'] = [];
    events.forEach((event, i) => {
      const origin = ctx.perEvent?.[i];
      const result = enrich(event, origin ? { ...ctx, ...origin } : ctx);
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

    const outcome = await writer.submit({
      site: ctx.site.key,
      events: prepared,
      hashes: erasureHashes(deps.erasure, ctx.site.key, prepared),
    });
    for (const id of outcome.erased) refused.push({ id, reason: 'erased' });
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
