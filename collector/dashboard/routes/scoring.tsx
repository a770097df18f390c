/** `/dashboard/scoring`: the audit of the live ruleset, for an outcome and horizon chosen on the page. */
import { Hono } from 'hono';
import type { AuditReport } from '../api-types';
import type { DashboardEnv } from '../context';
import { frameOf } from '../frame';
import { AUDIT_OUTCOME_CHOICES, HORIZON_CHOICES, ScoringPage } from '../views/scoring';

export function scoringRoutes() {
  const app = new Hono<DashboardEnv>();
  app.get('/scoring', async (c) => {
    // Unknown choices fall back to the defaults rather than failing the page.
    const outcomeParam = c.req.query('outcome') ?? '';
    const outcome = (AUDIT_OUTCOME_CHOICES as readonly string[]).includes(outcomeParam)
      ? outcomeParam
      : 'sql';
    const horizonParam = Number(c.req.query('horizon_days'));
    const horizon = (HORIZON_CHOICES as readonly number[]).includes(horizonParam) ? horizonParam : 30;
    const report = await c.get('api').get<AuditReport>('/scoring/audit', { outcome, horizon_days: horizon });
    return c.html(<ScoringPage frame={frameOf(c)} report={report} />);
  });
  return app;
}
