/**
 * Changing the rules: drafts (`/api/rulesets/drafts`), their impact preview, "test a record",
 * publishing and rollback, and the audit log. Reading is open to every role; drafting and
 * previewing need `edit_rules` (editor, admin); publishing and rolling back need `publish_rules`
 * (admin). Every body is bounded before it is parsed.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { type AuthVariables, requireKey } from '../auth';
import { AppError, badField, notFound } from '../errors';
import { runBacktest } from '../scoring/backtest-run';
import { compareContact } from '../scoring/compare-contact';
import { parseRuleset, type Ruleset, RulesetError } from '../scoring/core/rules';
import { runScenarios } from '../scoring/core/scenarios';
import { createDraft, getDraft, listDrafts, recordPreview, saveDraft } from '../scoring/drafts';
import { publishRuleset, readLog, rulesOfVersion } from '../scoring/publish';
import type { Services } from '../services';
import { readJsonBody } from './body';
import { limitParam, parseQuery } from './params';
import { VERSION_PARAM } from './rulesets';

/** A ruleset is a few KB; 256 KB leaves room for many rules and scenarios. */
export const DRAFT_BODY_LIMIT = 256 * 1024;
const NOTE_BODY_LIMIT = 16 * 1024;
/** Contacts listed by name in a preview (the counts cover all of them). */
const PREVIEW_LIST = 500;

const limit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `body is larger than ${Math.round(maxSize / 1024)} KB`);
    },
  });

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

const createSchema = z.strictObject({
  name: nameSchema,
  /** `live` (default), or a stored version number. */
  from: z.union([z.literal('live'), z.number().int().min(1)]).optional(),
  /** A ruleset to start from instead (an exported JSON, a learned draft). */
  ruleset: z.unknown().optional(),
});

const saveSchema = z.strictObject({ name: nameSchema.optional(), ruleset: z.unknown() });
const noteSchema = z.strictObject({
  note: z.string().trim().min(1, 'is required: say why').max(1000, 'must be at most 1000 characters'),
});

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field =
    issue?.code === 'unrecognized_keys'
      ? String(issue.keys[0])
      : (issue?.path ?? []).map(String).join('.') || 'body';
  throw badField(
    field,
    issue?.code === 'unrecognized_keys' ? 'unknown field' : (issue?.message ?? 'invalid'),
  );
}

/** Validates a posted ruleset; the error names the field and the rule (`ruleset.engagement.2.points: rule "x": …`). */
export function rulesetFromBody(input: unknown): Ruleset {
  if (input === undefined || input === null) throw badField('ruleset', 'is required');
  try {
    return parseRuleset(input);
  } catch (error) {
    if (!(error instanceof RulesetError)) throw error;
    // The same message a config file gets, with the body's field name in place of `scoring`.
    const field = error.field.replace(/^scoring/, 'ruleset');
    throw new AppError(400, 'invalid_field', error.message.replace(/^scoring/, 'ruleset'), field);
  }
}

export function ruleDraftRoutes(services: Services) {
  const { db } = services;
  const app = new Hono<{ Variables: AuthVariables }>();
  const mayEdit = requireKey(services.config, 'edit_rules');
  const mayPublish = requireKey(services.config, 'publish_rules');
  const actorOf = (c: { get(key: 'apiKey'): { name: string } }) => c.get('apiKey').name;

  app.get('/rulesets/log', async (c) => {
    const { limit: count } = parseQuery(c, { limit: limitParam(100, 1000) });
    return c.json({ entries: await readLog(db, count) });
  });

  app.get('/rulesets/drafts', async (c) => {
    parseQuery(c, {});
    return c.json({ drafts: await listDrafts(db) });
  });

  app.post('/rulesets/drafts', mayEdit, limit(DRAFT_BODY_LIMIT), async (c) => {
    const body = parseBody(createSchema, await readJsonBody(c, DRAFT_BODY_LIMIT));
    let ruleset: Ruleset;
    let base: number | null;
    if (body.ruleset !== undefined) {
      if (body.from !== undefined) throw badField('from', 'give either from or ruleset, not both');
      ruleset = rulesetFromBody(body.ruleset);
      base = null;
    } else if (body.from === undefined || body.from === 'live') {
      ruleset = await services.rules.current(db);
      base = ruleset.version;
    } else {
      ruleset = await rulesOfVersion(db, body.from);
      base = body.from;
    }
    const draft = await createDraft(db, {
      name: body.name,
      ruleset,
      base_version: base,
      author: actorOf(c),
      now: services.clock(),
    });
    return c.json({ draft, scenarios: runScenarios(draft.ruleset) }, 201);
  });

  app.get('/rulesets/drafts/:id', async (c) => {
    parseQuery(c, {});
    const draft = await getDraft(db, c.req.param('id'));
    return c.json({ draft, scenarios: runScenarios(draft.ruleset) });
  });

  app.put('/rulesets/drafts/:id', mayEdit, limit(DRAFT_BODY_LIMIT), async (c) => {
    const body = parseBody(saveSchema, await readJsonBody(c, DRAFT_BODY_LIMIT));
    const ruleset = rulesetFromBody(body.ruleset);
    const draft = await saveDraft(
      db,
      c.req.param('id'),
      { ...(body.name ? { name: body.name } : {}), ruleset },
      services.clock(),
    );
    return c.json({ draft, scenarios: runScenarios(draft.ruleset) });
  });

  app.post('/rulesets/drafts/:id/preview', mayEdit, limit(NOTE_BODY_LIMIT), async (c) => {
    const draft = await getDraft(db, c.req.param('id'));
    const live = await services.rules.current(db);
    const started = performance.now();
    const now = services.clock();
    const report = await runBacktest(db, live, draft.ruleset, { asOf: now });
    const scenarios = runScenarios(draft.ruleset);
    const tookMs = Math.round(performance.now() - started);
    const summary = {
      live_version: live.version,
      previewed_at: now,
      contacts: report.contacts,
      events: report.events,
      current: report.current,
      draft: report.draft,
      moves: report.moves,
      changed: report.changes.length,
      scenarios_failed: scenarios.filter((s) => !s.passed).map((s) => s.name),
    };
    if (draft.published_version === null) await recordPreview(db, draft.id, summary);
    return c.json({
      draft_id: draft.id,
      live_version: live.version,
      took_ms: tookMs,
      contacts: report.contacts,
      events: report.events,
      current: report.current,
      draft: report.draft,
      moves: report.moves,
      changed: report.changes.length,
      changes: report.changes.slice(0, PREVIEW_LIST),
      distribution: report.distribution,
      mqls_per_week: report.mqls_per_week,
      scenarios,
      // Precision, recall and AUC per ruleset come from the scoring audit (outcomes) once it is merged.
      audit: null,
    });
  });

  app.get('/rulesets/drafts/:id/contacts/:contact', async (c) => {
    parseQuery(c, {});
    const draft = await getDraft(db, c.req.param('id'));
    const live = await services.rules.current(db);
    const comparison = await compareContact(
      db,
      c.req.param('contact'),
      live,
      draft.ruleset,
      services.clock(),
    );
    if (!comparison) throw notFound('contact');
    return c.json(comparison);
  });

  app.post('/rulesets/drafts/:id/publish', mayPublish, limit(NOTE_BODY_LIMIT), async (c) => {
    const { note } = parseBody(noteSchema, await readJsonBody(c, NOTE_BODY_LIMIT));
    const draft = await getDraft(db, c.req.param('id'));
    if (draft.published_version !== null) {
      throw new AppError(
        409,
        'conflict',
        `draft ${draft.id} was already published as v${draft.published_version}`,
      );
    }
    const entry = await publishRuleset(services, {
      rules: draft.ruleset,
      actor: actorOf(c),
      note,
      action: 'publish',
      draft,
      summary: draft.preview,
    });
    return c.json({ entry }, 201);
  });

  app.post(`/rulesets/${VERSION_PARAM}/publish`, mayPublish, limit(NOTE_BODY_LIMIT), async (c) => {
    const { note } = parseBody(noteSchema, await readJsonBody(c, NOTE_BODY_LIMIT));
    const version = Number(c.req.param('version'));
    const rules = await rulesOfVersion(db, version);
    const entry = await publishRuleset(services, {
      rules,
      actor: actorOf(c),
      note,
      action: 'rollback',
      summary: { restored_version: version },
    });
    return c.json({ entry }, 201);
  });

  return app;
}
