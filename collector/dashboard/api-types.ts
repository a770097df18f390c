/**
 * The JSON the dashboard reads from the API. Where the API module declares its response type the
 * dashboard imports it (accounts, attribution), so changing the API's shape is a compile error
 * here; the rest are declared with only the fields the dashboard uses.
 */
import type { AccountSummary } from '../api/account-score';

export type { AccountSummary } from '../api/account-score';
export {
  ATTRIBUTION_MODELS,
  type AttributionModel,
  type AttributionReport,
  type AttributionRow,
} from '../api/reports/attribution';
export type { CostReport } from '../api/reports/cost';

/** A row of `GET /api/leads` (timestamps in ms). */
export interface Lead {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  title?: string | null;
  domain?: string | null;
  stage: string;
  score: number;
  fit?: number;
  engagement?: number;
  grade: string | null;
  temperature: string | null;
  source: string | null;
  medium?: string | null;
  campaign?: string | null;
  first_seen?: number;
  last_seen: number;
  stage_changed_at?: number;
}

export interface LeadsPage {
  leads: Lead[];
  next_cursor: string | null;
}

/** One line of a score breakdown: a rule, the events that matched it, and its points. */
export interface BreakdownItem {
  rule: string;
  kind?: string;
  event_ids?: string[];
  points: number;
  /** Points after time decay: what the line adds to the score today. */
  decayed?: number;
  /** Optional human description of the rule, when the API gives one. */
  label?: string;
}

export interface Touch {
  ts: number;
  kind?: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  ref?: string | null;
  url?: string | null;
}

export interface StageChange {
  id?: number;
  from: string;
  to: string;
  reason: string;
  event_ids?: string[];
  actor: string;
  at: number;
}

/** `GET /api/contacts/:id`. */
export interface ContactView extends Lead {
  user_id?: string | null;
  verified?: boolean;
  traits: Record<string, unknown>;
  fit: number;
  engagement: number;
  breakdown: BreakdownItem[];
  scored_at?: number | null;
  mql_at?: number | null;
  sql_at?: number | null;
  first_touch: Touch | null;
  last_touch: Touch | null;
  stage_history: StageChange[];
  anonymous_ids?: string[];
  account?: AccountSummary | null;
}

/** An event of `GET /api/contacts/:id/timeline` (newest first). */
export interface TimelineEvent {
  id: string;
  type: string;
  name: string | null;
  ts: number;
  session: string | null;
  url: string | null;
  path: string | null;
  title: string | null;
  ref?: string | null;
  ref_kind?: string | null;
  props: Record<string, unknown> | null;
  traits?: Record<string, unknown> | null;
  campaign: Record<string, unknown> | null;
}

export interface TimelinePage {
  events: TimelineEvent[];
  next_cursor: string | null;
}

export interface AccountsPage {
  accounts: AccountSummary[];
  next_cursor: string | null;
}

export interface AccountDetail {
  account: AccountSummary;
  contacts: Lead[];
}

/** `GET /api/reports/funnel`: the cohort first seen in the range. Rates are 0..1 or null. */
export interface FunnelReport {
  from: string;
  to: string;
  counts: { visitors: number; leads: number; mqls: number; sqls: number };
  rates: {
    visitor_to_lead: number | null;
    lead_to_mql: number | null;
    mql_to_sql: number | null;
    visitor_to_sql: number | null;
  };
  /** Median time from first visit. */
  median_ms: { to_mql: number | null; to_sql: number | null };
}

export interface SourcesReport {
  sources: {
    source: string;
    medium: string;
    visitors: number;
    leads: number;
    mqls: number;
    sqls: number;
    lead_rate: number | null;
  }[];
  channels: { channel: string; entrances: number; visitors: number }[];
}

export interface PagesReport {
  top_pages: { path: string | null; views: number; visitors: number }[];
  downloads: { file: string; downloads: number; visitors: number }[];
  pricing: { views: number; visitors: number };
  sessions: number;
  bounced_sessions: number;
  bounce_rate: number | null;
}

/** `GET /api/contacts/:id/score-history`. */
export interface ScoreHistory {
  from: number;
  to: number;
  step: string;
  ruleset_version: number;
  mql_threshold: number;
  series: { at: number; score: number; fit: number; engagement: number; stage: string }[];
  stage_changes: { from: string; to: string; at: number }[];
}

/** `GET /api/scoring/audit`: the report's shape is the scoring core's. */
export type { AuditReport } from '../scoring/core/audit/report';
