/**
 * `POST /api/outcomes` (full key): deal results from a CRM — a JSON array or NDJSON of
 * `{contact, outcome, at, amount?, currency?, external_id?}` — each row answered on its own.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type AuthVariables, requireKey } from '../auth';
import { AppError } from '../errors';
import { importOutcomes } from '../scoring/outcomes-import';
import type { Services } from '../services';
import { MAX_OUTCOMES_BODY, parseOutcomesBody } from './outcomes-body';

export function outcomesRoutes(services: Services) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.post(
    '/outcomes',
    requireKey(services.config, 'full'),
    bodyLimit({
      maxSize: MAX_OUTCOMES_BODY,
      onError: () => {
        throw new AppError(
          413,
          'payload_too_large',
          `body is larger than ${MAX_OUTCOMES_BODY} bytes`,
          'body',
        );
      },
    }),
    async (c) => {
      const rows = parseOutcomesBody(await c.req.text(), services.clock());
      const report = await importOutcomes(services, rows, c.get('apiKey').name);
      return c.json(report);
    },
  );
  return app;
}
