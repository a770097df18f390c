/**
 * `/api/rulesets`: the stored versions (immutable; the newest is live), read by every role.
 * Drafts, previews and publishing are added in their own route files (rule-drafts.ts, publish.ts).
 */
import { Hono } from 'hono';
import type { AuthVariables } from '../auth';
import { notFound } from '../errors';
import { getVersion, listVersions } from '../scoring/versions';
import type { Services } from '../services';
import { parseQuery } from './params';

/** `:version` in a path: a positive integer, anything else is a 404 from the router. */
export const VERSION_PARAM = ':version{[1-9][0-9]{0,8}}';

export function rulesetRoutes(services: Services) {
  const { db } = services;
  const app = new Hono<{ Variables: AuthVariables }>();

  app.get('/rulesets', async (c) => {
    parseQuery(c, {});
    return c.json({ versions: await listVersions(db) });
  });

  app.get('/rulesets/live', async (c) => {
    parseQuery(c, {});
    const rules = await services.rules.current(db);
    const stored = await getVersion(db, rules.version);
    // A database never seeded (only possible in tests that skip start-up) still answers with the rules in force.
    return c.json(
      stored ?? {
        version: rules.version,
        author: null,
        note: null,
        parent: null,
        live: true,
        ruleset: rules,
      },
    );
  });

  app.get(`/rulesets/${VERSION_PARAM}`, async (c) => {
    parseQuery(c, {});
    const version = await getVersion(db, Number(c.req.param('version')));
    if (!version) throw notFound(`ruleset version ${c.req.param('version')}`);
    return c.json(version);
  });

  return app;
}
