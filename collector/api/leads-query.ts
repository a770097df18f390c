/**
 * The lead feed as one query: filters, a sort and a keyset position → a page of contacts. The
 * JSON feed, the CSV export and the dashboard all call `findLeads`, so they can never disagree.
 */
import { type Compilable, type Kysely, sql } from 'kysely';
import type { Stage } from '../../shared/stages';
import { leadsOnly } from '../storage/lead-filter';
import type { ContactRow, Database } from '../storage/schema';
import type { Cursor } from './cursor';

export const LEAD_SORTS = {
  score: 'score',
  last_activity: 'last_seen',
  stage_changed: 'stage_changed_at',
} as const;
export type LeadSort = keyof typeof LEAD_SORTS;

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export const TEMPERATURES = ['hot', 'warm', 'cold'] as const;

export interface LeadFilters {
  /** Without a stage filter the feed shows every identified contact (anonymous visitors are left out). */
  stages?: Stage[] | undefined;
  minScore?: number | undefined;
  grades?: string[] | undefined;
  temperatures?: string[] | undefined;
  /** Company email domain. */
  account?: string | undefined;
  /** First-touch source / campaign. */
  source?: string | undefined;
  campaign?: string | undefined;
  /** Where the contact was last seen from (ISO codes, any of them). */
  country?: string[] | undefined;
  /** Case-insensitive substring of email, name or company. */
  q?: string | undefined;
  site?: string | undefined;
  /** An owner id (hand-off), or `none` for leads nobody owns. */
  owner?: string | undefined;
}

export interface LeadPageRequest extends LeadFilters {
  sort: LeadSort;
  order: 'asc' | 'desc';
  after?: Cursor | undefined;
  limit: number;
}

export const LEAD_COLUMNS = [
  'id',
  'site',
  'email',
  'name',
  'company',
  'title',
  'domain',
  'stage',
  'score',
  'fit',
  'engagement',
  'grade',
  'temperature',
  'source',
  'medium',
  'campaign',
  'first_seen',
  'last_seen',
  'stage_changed_at',
  'mql_at',
  'sql_at',
  'owner',
] as const satisfies readonly (keyof ContactRow)[];

export type LeadRow = Pick<ContactRow, (typeof LEAD_COLUMNS)[number]>;

/** `%`, `_` and the escape character itself match literally in the user's text. */
export const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[!%_]/g, '!$&')}%`;

/**
 * What `q` searches: email, name and company in one lower-cased string. Migration 0003 indexes
 * exactly this expression on SQLite, so a search reads that narrow index, not every contact row.
 */
const SEARCH_TEXT = sql`lower(coalesce(email, '') || ' ' || coalesce(name, '') || ' ' || coalesce(company, ''))`;

export const sortKey = (request: Pick<LeadPageRequest, 'sort' | 'order'>): string =>
  `${request.sort}:${request.order}`;

/** One page for at most one stage: a range of the (stage, sort column, id) index. */
function pageQuery(db: Kysely<Database>, request: LeadPageRequest, stage: Stage | undefined) {
  const column = LEAD_SORTS[request.sort];
  let query = db.selectFrom('contacts').select(LEAD_COLUMNS);

  // Besides the stage itself, the literal leads-only term lets the database use the feed's
  // partial indexes (migration 0004); visitors are listed only when asked for by name.
  if (stage) query = query.where('stage', '=', stage);
  if (stage !== 'visitor') query = query.where(leadsOnly);
  if (request.minScore !== undefined) query = query.where('score', '>=', request.minScore);
  if (request.grades) query = query.where('grade', 'in', request.grades);
  if (request.temperatures) query = query.where('temperature', 'in', request.temperatures);
  if (request.account) query = query.where('domain', '=', request.account.toLowerCase());
  if (request.source) query = query.where('source', '=', request.source);
  if (request.campaign) query = query.where('campaign', '=', request.campaign);
  if (request.country) query = query.where('country', 'in', request.country);
  if (request.site) query = query.where('site', '=', request.site);
  if (request.owner === 'none') query = query.where('owner', 'is', null);
  else if (request.owner) query = query.where('owner', '=', request.owner);
  if (request.q) {
    const matches = sql<boolean>`${SEARCH_TEXT} like ${likePattern(request.q)} escape '!'`;
    const matching = db.selectFrom('contacts').select('id').where(matches);
    query = query.where('id', 'in', stage === 'visitor' ? matching : matching.where(leadsOnly));
  }
  const after = request.after;
  if (after) {
    // A row-value comparison both databases answer from the (…, sort column, id) index.
    query = query.where((eb) =>
      eb(eb.refTuple(column, 'id'), request.order === 'desc' ? '<' : '>', eb.tuple(after.value, after.id)),
    );
  }
  return query.orderBy(column, request.order).orderBy('id', request.order).limit(request.limit);
}

/** The query behind one page of the feed (exported so tests can check its plan). */
export function leadsQuery(
  db: Kysely<Database>,
  request: LeadPageRequest,
): Compilable & { execute(): Promise<LeadRow[]> } {
  const stages = request.stages ?? [];
  if (stages.length <= 1) return pageQuery(db, request, stages[0]);
  // Several stages: the first page of each (an index range apiece), merged by the database.
  // One `stage IN (…) ORDER BY` would have to sort every contact in those stages first.
  const pages = stages.map((stage, i) =>
    db.selectFrom(pageQuery(db, request, stage).as(`s${i}`)).selectAll(),
  );
  let union = pages[0]!;
  for (const page of pages.slice(1)) union = union.unionAll(page);
  const column = LEAD_SORTS[request.sort];
  return db
    .selectFrom(union.as('merged'))
    .selectAll()
    .orderBy(column, request.order)
    .orderBy('id', request.order)
    .limit(request.limit);
}

export const findLeads = (db: Kysely<Database>, request: LeadPageRequest): Promise<LeadRow[]> =>
  leadsQuery(db, request).execute();

/** The value a row is sorted by, for the next cursor. */
export const sortValue = (row: LeadRow, sort: LeadSort): number => row[LEAD_SORTS[sort]];
