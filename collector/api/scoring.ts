/**
 * Does the scoring work? `GET /api/scoring/audit` audits a ruleset against recorded outcomes
 * (a read key may ask); `POST /api/scoring/audit` audits a draft sent as the body;
 * `POST /api/scoring/learn` (full key) fits a draft ruleset from the same examples.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type AuthVariables, requireKey } from '../auth';
import { AppError } from '../errors';
import { parseJsonBody } from '../ingest/validate';
import { auditWindow, parseAuditParams } from '../scoring/audit-params';
import { parseDraft, resolveRuleset } from '../scoring/audit-ruleset';
import { runAudit } from '../scoring/audit-run';
import { learnDraft } from '../scoring/learn-run';
import type { Services } from '../services';

/** A ruleset is small; a megabyte is far more than any real one. */
export const MAX_RULESET_BODY = 1_000_000;

const limit = bodyLimit({
  maxSize: MAX_RULESET_BODY,
  onError: () => {
    throw new AppError(413, 'payload_too_large', `body is larger than ${MAX_RULESET_BODY} bytes`, 'body');
  },
});

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  return text.trim() === '' ? undefined : parseJsonBody(text);
}

export function scoringRoutes(services: Services) {
  const app = new Hono<{ Variables: AuthVariables }>();
  const { db, config } = services;

  const audit = async (c: Context, draftJson: unknown) => {
    const params = parseAuditParams(c.req.query());
    const draft = draftJson === undefined ? undefined : parseDraft(draftJson);
    const spec = draft && params.ruleset === 'current' ? 'draft' : params.ruleset;
    const rules = await resolveRuleset(db, config.scoring, spec, draft);
    const window = auditWindow(params, services.clock());
    return c.json((await runAudit(db, rules, window)).report());
  };

  app.get('/scoring/audit', (c) => audit(c, undefined));
  app.post('/scoring/audit', limit, async (c) => audit(c, await jsonBody(c)));

  app.post('/scoring/learn', requireKey(config, 'full'), limit, async (c) => {
    const body = (await jsonBody(c)) ?? {};
    const { candidates, ...query } = c.req.query();
    const params = parseAuditParams(query);
    if (candidates !== undefined && candidates !== 'true' && candidates !== 'false')
      throw new AppError(400, 'invalid_field', 'candidates: must be true or false', 'candidates');
    const base =
      body && typeof body === 'object' && Object.keys(body).length > 0 ? parseDraft(body) : config.scoring;
    const window = auditWindow(params, services.clock());
    return c.json(await learnDraft(db, base, window, { candidates: candidates === 'true' }));
  });

  return app;
}
