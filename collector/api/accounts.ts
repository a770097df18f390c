/**
 * `GET /api/accounts` (companies ranked by account score) and `GET /api/accounts/:domain` (one
 * company with its members). Accounts are few and their scores are sums that move with every
 * member, so the list pages by position (an opaque cursor holding an offset) rather than by key.
 */
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { badField, notFound } from '../errors';
import type { Services } from '../services';
import { accountColumns, accountScore, accountSummary, bestMember, toAccountSummary } from './account-score';
import { decodeCursor, encodeCursor } from './cursor';
import { LEAD_COLUMNS, likePattern } from './leads-query';
import { limitParam, numberParam, orderParam, parseQuery, textParam } from './params';

const ACCOUNT_SORTS = ['score', 'contacts', 'last_activity'] as const;

export function accountsRoutes(services: Services) {
  const { db } = services;
  const rules = services.config.scoring;
  const app = new Hono();

  app.get('/accounts', async (c) => {
    const params = parseQuery(c, {
      site: textParam(100).optional(),
      q: textParam().optional(),
      min_score: numberParam.optional(),
      sort: z.enum(ACCOUNT_SORTS, { error: `must be one of ${ACCOUNT_SORTS.join(', ')}` }).default('score'),
      order: orderParam,
      limit: limitParam(50, 500),
      cursor: z.string().max(200).optional(),
    });
    const key = `accounts:${params.sort}:${params.order}`;
    const offset = decodeCursor(params.cursor, key)?.value ?? 0;
    if (!Number.isInteger(offset) || offset < 0) throw badField('cursor', 'is not a cursor from this API');

    let query = db
      .selectFrom('contacts')
      .select((eb) => accountColumns(eb))
      .where('domain', 'is not', null);
    if (params.site) query = query.where('site', '=', params.site);
    if (params.q) query = query.where(sql<boolean>`lower(domain) like ${likePattern(params.q)} escape '!'`);
    query = query.groupBy('domain');
    if (params.min_score !== undefined) {
      const minScore = params.min_score;
      query = query.having((eb) => eb(accountScore(eb), '>=', minScore));
    }
    const orderColumn = { score: 'score', contacts: 'contacts', last_activity: 'last_seen' } as const;
    const rows = await query
      .orderBy(sql.ref(orderColumn[params.sort]), params.order)
      .orderBy('domain')
      .limit(params.limit + 1)
      .offset(offset)
      .execute();
    const page = rows.slice(0, params.limit);
    const accounts = await Promise.all(
      page.map(async (row) => toAccountSummary(rules, row, await bestMember(db, row.domain!, params.site))),
    );
    return c.json({
      accounts,
      next_cursor:
        rows.length > params.limit ? encodeCursor({ sort: key, value: offset + params.limit, id: '' }) : null,
    });
  });

  app.get('/accounts/:domain', async (c) => {
    const params = parseQuery(c, { site: textParam(100).optional() });
    const domain = c.req.param('domain').toLowerCase();
    const summary = await accountSummary(db, rules, params.site, domain);
    if (!summary) throw notFound(`account ${domain}`);
    let members = db.selectFrom('contacts').select(LEAD_COLUMNS).where('domain', '=', domain);
    if (params.site) members = members.where('site', '=', params.site);
    return c.json({
      account: summary,
      contacts: await members.orderBy('score', 'desc').orderBy('id').limit(500).execute(),
    });
  });

  return app;
}
