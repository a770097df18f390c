/**
 * `/dashboard/rules`: versions, drafts and the publish log; a draft's editor; preview; publish.
 * Every change goes through the JSON API, which checks the role again (the page only hides what a
 * role cannot do).
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors';
import { can } from '../../roles';
import type { Services } from '../../services';
import { ApiError } from '../api-client';
import type { DashboardEnv } from '../context';
import { setFlash } from '../flash';
import { frameOf } from '../frame';
import {
  type DraftJson,
  DraftPage,
  type LogJson,
  type PreviewJson,
  PreviewPage,
  RulesPage,
  type ScenarioJson,
} from '../views/rules';

const FORM_LIMIT = 256 * 1024;
const limit = bodyLimit({
  maxSize: FORM_LIMIT,
  onError: () => {
    throw new AppError(413, 'payload_too_large', 'form is larger than 256 KB');
  },
});

/** The form's fields laid over the draft's ruleset: threshold, and each rule's label and points. */
function applyForm(ruleset: DraftJson['ruleset'], form: Record<string, unknown>): DraftJson['ruleset'] {
  const next = structuredClone(ruleset);
  const threshold = Number(form.mql_threshold);
  if (form.mql_threshold !== undefined && form.mql_threshold !== '') next.mql_threshold = threshold;
  for (const family of ['engagement', 'fit'] as const) {
    next[family].forEach((rule, i) => {
      const label = form[`${family}.${i}.label`];
      const points = form[`${family}.${i}.points`];
      if (typeof label === 'string') {
        if (label.trim()) rule.label = label.trim();
        else delete rule.label;
      }
      // A non-number reaches the API as is, so its error names the rule.
      if (typeof points === 'string' && points.trim() !== '') {
        rule.points = Number.isFinite(Number(points)) ? Number(points) : (points as unknown as number);
      }
    });
  }
  return next;
}

export function ruleRoutes(services: Services, secret: Buffer) {
  const trustProxy = services.config.trustProxy;
  const app = new Hono<DashboardEnv>();
  const draftHref = (id: string) => `/dashboard/rules/drafts/${encodeURIComponent(id)}`;
  const flash = (c: Parameters<typeof setFlash>[0], kind: 'ok' | 'error', text: string) =>
    setFlash(c, secret, { kind, text }, trustProxy);
  const explain = (error: unknown) => {
    if (!(error instanceof ApiError) || error.status >= 500) throw error;
    return error.message;
  };

  app.get('/rules', async (c) => {
    const api = c.get('api');
    const [live, drafts, log] = await Promise.all([
      api.get<{ version: number; author: string | null; note: string | null }>('/rulesets/live'),
      api.get<{ drafts: DraftJson[] }>('/rulesets/drafts'),
      api.get<{ entries: LogJson[] }>('/rulesets/log', { limit: 50 }),
    ]);
    return c.html(
      <RulesPage
        frame={frameOf(c)}
        live={live}
        drafts={drafts.drafts}
        log={log.entries}
        canEdit={can(c.get('session').role, 'edit_rules')}
      />,
    );
  });

  app.post('/rules/drafts', limit, async (c) => {
    const form = await c.req.parseBody();
    try {
      const created = await c.get('api').post<{ draft: DraftJson }>('/rulesets/drafts', {
        name: String(form.name ?? '').slice(0, 200),
      });
      return c.redirect(draftHref(created.draft.id), 303);
    } catch (error) {
      flash(c, 'error', `No draft: ${explain(error)}`);
      return c.redirect('/dashboard/rules', 303);
    }
  });

  app.get('/rules/drafts/:id', async (c) => {
    const { draft, scenarios } = await c
      .get('api')
      .get<{ draft: DraftJson; scenarios: ScenarioJson[] }>(
        `/rulesets/drafts/${encodeURIComponent(c.req.param('id'))}`,
      );
    const { role } = c.get('session');
    return c.html(
      <DraftPage
        frame={frameOf(c)}
        draft={draft}
        scenarios={scenarios}
        canEdit={can(role, 'edit_rules')}
        canPublish={can(role, 'publish_rules')}
      />,
    );
  });

  const save = async (c: Context<DashboardEnv>, id: string, ruleset: unknown, name?: string) => {
    try {
      await c
        .get('api')
        .put(`/rulesets/drafts/${encodeURIComponent(id)}`, { ruleset, ...(name ? { name } : {}) });
      flash(c, 'ok', 'Draft saved.');
    } catch (error) {
      flash(c, 'error', `Not saved: ${explain(error)}`);
    }
    return c.redirect(draftHref(id), 303);
  };

  app.post('/rules/drafts/:id', limit, async (c) => {
    const form = await c.req.parseBody();
    const { draft } = await c
      .get('api')
      .get<{ draft: DraftJson }>(`/rulesets/drafts/${encodeURIComponent(c.req.param('id'))}`);
    const name = typeof form.name === 'string' ? form.name.trim().slice(0, 200) : undefined;
    return save(c, c.req.param('id'), applyForm(draft.ruleset, form), name);
  });

  app.post('/rules/drafts/:id/json', limit, async (c) => {
    const form = await c.req.parseBody();
    let ruleset: unknown;
    try {
      ruleset = JSON.parse(String(form.json ?? ''));
    } catch {
      flash(c, 'error', 'Not saved: the JSON does not parse.');
      return c.redirect(draftHref(c.req.param('id')), 303);
    }
    return save(c, c.req.param('id'), ruleset);
  });

  app.post('/rules/drafts/:id/preview', limit, async (c) => {
    const id = encodeURIComponent(c.req.param('id'));
    const api = c.get('api');
    try {
      const preview = await api.post<PreviewJson>(`/rulesets/drafts/${id}/preview`, {});
      const { draft } = await api.get<{ draft: DraftJson }>(`/rulesets/drafts/${id}`);
      return c.html(<PreviewPage frame={frameOf(c)} draft={draft} preview={preview} />);
    } catch (error) {
      flash(c, 'error', `No preview: ${explain(error)}`);
      return c.redirect(draftHref(c.req.param('id')), 303);
    }
  });

  app.post('/rules/drafts/:id/publish', limit, async (c) => {
    const form = await c.req.parseBody();
    try {
      const { entry } = await c
        .get('api')
        .post<{ entry: { version: number } }>(
          `/rulesets/drafts/${encodeURIComponent(c.req.param('id'))}/publish`,
          {
            note: String(form.note ?? '').slice(0, 1000),
          },
        );
      flash(c, 'ok', `Published as v${entry.version}; contacts are being re-scored.`);
      return c.redirect('/dashboard/rules', 303);
    } catch (error) {
      flash(c, 'error', `Not published: ${explain(error)}`);
      return c.redirect(draftHref(c.req.param('id')), 303);
    }
  });

  return app;
}
