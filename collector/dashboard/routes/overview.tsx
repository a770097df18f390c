/** `/dashboard/overview`: the API's reports over one date range, drawn as charts. */
import { Hono } from 'hono';
import type { Services } from '../../services';
import {
  ATTRIBUTION_MODELS,
  type AttributionModel,
  type AttributionReport,
  type CostReport,
  type FunnelReport,
  type PagesReport,
  type SourcesReport,
} from '../api-types';
import type { DashboardEnv } from '../context';
import { frameOf } from '../frame';
import { scoreDistribution } from '../score-distribution';
import { OverviewPage, type RangeForm } from '../views/overview';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isDay = (value: string | undefined): value is string => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Inclusive day range; `to` today and `from` 29 days before by default (30 days, like the API). */
export function rangeFrom(query: { from?: string; to?: string }, now: number, days = 30): RangeForm {
  const to = isDay(query.to) ? query.to : isoDay(now);
  const from = isDay(query.from) ? query.from : isoDay(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY);
  return { from, to };
}

export function overviewRoutes(services: Services) {
  const app = new Hono<DashboardEnv>();

  app.get('/overview', async (c) => {
    const now = c.get('now');
    const range = rangeFrom({ from: c.req.query('from'), to: c.req.query('to') }, now);
    const requested = c.req.query('model') as AttributionModel | undefined;
    const model: AttributionModel =
      requested && ATTRIBUTION_MODELS.includes(requested) ? requested : 'first_touch';
    const api = c.get('api');
    const query = { from: range.from, to: range.to };
    const [funnel, attribution, sources, pages, cost] = await Promise.all([
      api.get<FunnelReport>('/reports/funnel', query),
      api.get<AttributionReport>('/reports/attribution', query),
      api.get<SourcesReport>('/reports/sources', query),
      api.get<PagesReport>('/reports/pages', query),
      api.get<CostReport>('/reports/cost', { ...query, model, group: 'campaign' }),
    ]);
    // The API's own reading of the range, so the histogram covers exactly what the reports do.
    const bands = await scoreDistribution(services.db, {
      from: Date.parse(funnel.from),
      to: Date.parse(funnel.to),
      sites: services.config.sites.map((s) => s.key),
    });
    const threshold = Number(services.config.scoring.mql_threshold ?? 50);
    const presets = [7, 30, 90].map((days) => ({ label: `${days} days`, range: rangeFrom({}, now, days) }));
    return c.html(
      <OverviewPage
        frame={frameOf(c)}
        range={range}
        presets={presets}
        model={model}
        funnel={funnel}
        attribution={attribution.models[model]}
        cost={cost}
        sources={sources}
        pages={pages}
        scores={bands.map((b) => ({ label: b.label, count: b.count, highlight: b.from >= threshold }))}
      />,
    );
  });

  return app;
}
