/**
 * "Identified contacts only", the filter of the lead feed and its charts. Migration 0004 makes
 * the feed's indexes partial on this term, and SQLite uses a partial index only for a query that
 * carries the term itself: it matches terms rather than reasoning that `stage = 'lead'` excludes
 * visitors. Queries add it as this one literal, so it always matches the index definition.
 */
import { type SqlBool, sql } from 'kysely';

export const leadsOnly = sql<SqlBool>`stage <> 'visitor'`;
