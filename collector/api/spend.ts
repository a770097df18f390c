/**
 * `POST /api/spend` (full key): campaign spend as a JSON array of rows or a CSV cost export
 * (Google Ads, LinkedIn Campaign Manager, Meta Ads Manager or the generic columns), upserted per
 * (day, source, medium, campaign). Answers with the import report: rows inserted, updated and
 * unchanged, and every refused row with the field and the reason.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { type AuthVariables, requireKey } from '../auth';
import { AppError, badField } from '../errors';
import { readBody } from '../ingest/validate';
import type { Services } from '../services';
import { decodeExport } from '../spend/csv';
import { ImportError, importSpend, parseCsvImport, parseJsonImport } from '../spend/import';
import { parseQuery } from './params';

/** 4 MB: a year of daily rows for a few hundred campaigns; bigger files go through the CLI. */
export const MAX_SPEND_BODY = 4 * 1024 * 1024;

export function spendRoutes(services: Services) {
  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/spend', requireKey(services.config, 'full'), async (c) => {
    const { currency } = parseQuery(c, {
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/, 'must be a currency code like EUR')
        .optional(),
    });
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const csv = type === 'text/csv' || type === 'text/plain' || type === 'text/tab-separated-values';
    if (!csv && type !== 'application/json') {
      throw new AppError(
        415,
        'unsupported_media_type',
        'send application/json (an array of rows) or text/csv',
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = await readBody(c, MAX_SPEND_BODY);
    } catch (error) {
      if (error instanceof AppError && error.status === 413) {
        throw new AppError(
          413,
          'payload_too_large',
          `body larger than ${MAX_SPEND_BODY} bytes; use npm run spend`,
        );
      }
      throw error;
    }
    const text = decodeExport(bytes);
    try {
      let parsed: ReturnType<typeof parseJsonImport>;
      if (csv) parsed = parseCsvImport(text, currency?.toUpperCase());
      else {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new AppError(400, 'invalid_json', 'body is not valid JSON');
        }
        parsed = parseJsonImport(json);
      }
      return c.json(await importSpend(services.db, services.config.spend, parsed, services.clock()));
    } catch (error) {
      if (error instanceof ImportError)
        throw badField(error.field, error.message.slice(error.field.length + 2));
      throw error;
    }
  });

  return app;
}
