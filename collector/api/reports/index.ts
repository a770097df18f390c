/** `GET /api/reports/funnel|attribution|sources|pages|cost` over a date range (see range.ts). */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services } from '../../services';
import { limitParam } from '../params';
import { attributionReport } from './attribution';
import { costReport } from './cost';
import { GROUPS } from './cost-table';
import { funnelReport } from './funnel';
import { pagesReport } from './pages';
import { readRange } from './range';
import { sourcesReport } from './sources';
import { MODELS } from './touches';

export function reportsRoutes(services: Services) {
  const { db, config } = services;
  const app = new Hono();
  app.get('/reports/funnel', async (c) => {
    const { range } = readRange(c, config, services.clock(), {});
    return c.json(await funnelReport(db, range));
  });
  app.get('/reports/attribution', async (c) => {
    const { range } = readRange(c, config, services.clock(), {});
    return c.json(await attributionReport(db, range));
  });
  app.get('/reports/cost', async (c) => {
    const { range, params } = readRange(c, config, services.clock(), {
      model: z.enum(MODELS, { error: `must be one of ${MODELS.join(', ')}` }).default('first_touch'),
      group: z.enum(GROUPS, { error: `must be one of ${GROUPS.join(', ')}` }).default('source'),
    });
    return c.json(await costReport(db, range, config.spend, { model: params.model, group: params.group }));
  });
  app.get('/reports/sources', async (c) => {
    const { range } = readRange(c, config, services.clock(), {});
    return c.json(await sourcesReport(db, range));
  });
  app.get('/reports/pages', async (c) => {
    const { range, params } = readRange(c, config, services.clock(), { limit: limitParam(20, 200) });
    return c.json(await pagesReport(db, range, params.limit));
  });
  return app;
}
