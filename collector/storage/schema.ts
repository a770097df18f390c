/**
 * Table types: the one source of database types. Column names are snake_case in SQL and in
 * TypeScript alike (no casing plugin on the hot path). JSON columns are TEXT on every database
 * so that SQLite and PostgreSQL share one code path; `bigint` columns hold ms timestamps.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Stage } from '../../shared/stages';

/** A JSON document stored as text. */
export type JsonText = string;

export interface EventsTable {
  /** Arrival order; the cursor for anything that tails the log. */
  seq: Generated<number>;
  /** Client event id (nanoid, or a Segment messageId); unique per site. */
  id: string;
  site: string;
  contact_id: string | null;
  anon: string | null;
  session: string | null;
  type: string;
  name: string | null;
  /** Event time, server-corrected for client clock skew. */
  ts: number;
  received_at: number;
  url: string | null;
  path: string | null;
  ref: string | null;
  /** search | social | email | paid | direct | referral | internal */
  ref_kind: string | null;
  title: string | null;
  props: JsonText | null;
  traits: JsonText | null;
  user: string | null;
  campaign: JsonText | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  /** Truncated IP (IPv4 /24, IPv6 /48); never the whole address. */
  ip: string | null;
  /** ISO country code looked up from the address at ingest (collector/geo). */
  country: string | null;
  /** The address's network: autonomous system number, organisation, kind (isp, hosting, business, …). */
  asn: number | null;
  net_org: string | null;
  net_kind: string | null;
  /** 1 when a bot list or `navigator.webdriver` flagged the event: stored, never scored or reported. */
  bot: number;
  /** Comma-separated: clamped (future timestamp), unsigned (identify without hmac), … */
  flags: string | null;
}

export interface ContactsTable {
  id: string;
  site: string;
  email: string | null;
  user_id: string | null;
  name: string | null;
  company: string | null;
  title: string | null;
  /** Company email domain (free-mail excluded): the account key. */
  domain: string | null;
  traits: JsonText;
  stage: Stage;
  score: number;
  fit: number;
  engagement: number;
  grade: string | null;
  temperature: string | null;
  /** Score breakdown at `scored_at`: rule → events → points. */
  breakdown: JsonText | null;
  scored_at: number | null;
  ruleset_version: number | null;
  first_seen: number;
  last_seen: number;
  stage_changed_at: number;
  mql_at: number | null;
  sql_at: number | null;
  first_touch: JsonText | null;
  last_touch: JsonText | null;
  /** First-touch source/medium/campaign, denormalised for filters and reports. */
  source: string | null;
  medium: string | null;
  campaign: string | null;
  /** 1 when the email was proven by a signed identify. */
  verified: number;
  /** The latest looked-up country and network of the contact's events (migration 0009). */
  country: string | null;
  asn: number | null;
  net_org: string | null;
  net_kind: string | null;
  created_at: number;
  updated_at: number;
  /** Bumped on every write; lets concurrent scorers detect a lost update. */
  version: number;
  /** Hand-off (migration 0007): the owner's id from config `owners`, and why they got the lead. */
  owner: ColumnType<string | null, string | null | undefined, string | null>;
  owner_reason: ColumnType<string | null, string | null | undefined, string | null>;
  owner_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The SLA clock: started when the lead reached its stage, due, answered (accept/reject), breached. */
  sla_started_at: ColumnType<number | null, number | null | undefined, number | null>;
  sla_due_at: ColumnType<number | null, number | null | undefined, number | null>;
  sla_answered_at: ColumnType<number | null, number | null | undefined, number | null>;
  sla_breached_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AnonIdsTable {
  site: string;
  anon: string;
  contact_id: string;
  created_at: number;
}

export interface TransitionsTable {
  id: Generated<number>;
  contact_id: string;
  site: string;
  from_stage: string;
  to_stage: string;
  reason: string;
  /** JSON array of the event ids that caused the move. */
  event_ids: JsonText;
  ruleset_version: number | null;
  /** `auto`, or the API key name that made a sales move. */
  actor: string;
  at: number;
}

export interface IdentityLinksTable {
  id: Generated<number>;
  site: string;
  /** merge (anonymous joined a contact) | conflict (two identified contacts, not merged) | claim (unsigned identify) */
  kind: string;
  from_contact: string | null;
  to_contact: string | null;
  anon: string | null;
  email: string | null;
  detail: JsonText | null;
  at: number;
  undone_at: number | null;
}

export interface OutboxTable {
  /** The delivery id, sent as the idempotency key on every attempt. */
  id: string;
  webhook: string;
  event: string;
  contact_id: string | null;
  payload: JsonText;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface ErasuresTable {
  site: string;
  /** SHA-256 of the erased anonymous id, email or user id: enough to suppress, nothing to identify. */
  hash: string;
  kind: string;
  erased_at: number;
}

export interface RulesetsTable {
  version: number;
  ruleset: JsonText;
  created_at: number;
  /** Who made it: a person, `config` (seeded from the file), or null (stored before versions had authors). */
  author: string | null;
  note: string | null;
  /** The version that was live when this one was published. */
  parent: number | null;
}

export interface RulesetDraftsTable {
  id: string;
  name: string;
  ruleset: JsonText;
  base_version: number | null;
  author: string;
  created_at: number;
  updated_at: number;
  published_version: number | null;
  preview: JsonText | null;
}

export interface RulesetLogTable {
  id: Generated<number>;
  action: string;
  version: number;
  from_version: number | null;
  draft_id: string | null;
  actor: string;
  note: string;
  at: number;
  summary: JsonText | null;
  rescore_status: string;
  rescore_done: Generated<number>;
  rescore_total: Generated<number>;
  rescore_finished_at: number | null;
}

export interface AssignmentsTable {
  id: Generated<number>;
  contact_id: string;
  site: string;
  owner: string | null;
  previous_owner: string | null;
  reason: string;
  /** `routing`, `sla`, or who reassigned (API key name or dashboard user). */
  actor: string;
  at: number;
}

/** Smooth weighted round-robin credits of one routing pool (JSON: owner id → credit). */
export interface RoutingCreditsTable {
  pool: string;
  credits: JsonText;
  updated_at: number;
}

/** Campaign spend per day (migration 0010); names normalised like attributed touches. */
export interface SpendTable {
  /** `YYYY-MM-DD` (UTC day). */
  day: string;
  source: string;
  medium: string;
  /** '' when the spend is not tied to a campaign. */
  campaign: string;
  /** The cost in the reporting currency (`spend.currency`), in millionths. */
  cost_micros: number;
  /** The cost as the export gave it, in `currency`. */
  amount: string;
  currency: string;
  impressions: number | null;
  clicks: number | null;
  /** Which export the row came from: generic, google_ads, linkedin, meta. */
  format: string;
  imported_at: number;
}

/** A deal result imported from a CRM (`POST /api/outcomes`). */
export interface OutcomesTable {
  id: Generated<number>;
  site: string;
  contact_id: string;
  /** sql | opportunity | won | lost | disqualified */
  outcome: string;
  /** When it happened (the CRM's time, not the import's). */
  at: number;
  amount: number | null;
  currency: string | null;
  /** The CRM's id for the row; unique per site, so a re-import stores nothing twice. */
  external_id: string | null;
  /** The API key name that imported it. */
  actor: string;
  received_at: number;
}

export interface RevokedSessionsTable {
  /** SHA-256 of the session's id (its CSRF token), so the table holds nothing a cookie could use. */
  id: string;
  /** When the session would have expired; the row is pruned after it. */
  expires_at: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  events: EventsTable;
  contacts: ContactsTable;
  anon_ids: AnonIdsTable;
  transitions: TransitionsTable;
  identity_links: IdentityLinksTable;
  outbox: OutboxTable;
  erasures: ErasuresTable;
  rulesets: RulesetsTable;
  spend: SpendTable;
  ruleset_drafts: RulesetDraftsTable;
  ruleset_log: RulesetLogTable;
  outcomes: OutcomesTable;
  meta: MetaTable;
  assignments: AssignmentsTable;
  routing_credits: RoutingCreditsTable;
  revoked_sessions: RevokedSessionsTable;
}

export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type TransitionRow = Selectable<TransitionsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type SpendRow = Selectable<SpendTable>;
export type NewSpendRow = Insertable<SpendTable>;
export type OutcomeRow = Selectable<OutcomesTable>;

/** Marks a column that is read as number but may be written from either. */
export type Millis = ColumnType<number, number, number>;
