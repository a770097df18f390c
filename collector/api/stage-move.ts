/**
 * The body of `POST /api/contacts/:id/stage`: sales' words (accept, reject, qualify, disqualify)
 * or the stage names themselves. A reason is required when a lead leaves the funnel (recycled,
 * disqualified), so the next person to look knows why.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { fieldIssue } from '../../shared/field-issue';
import { SALES_MOVES, type SalesMove } from '../../shared/stages';
import { AppError, badField } from '../errors';
import { parseJsonBody } from '../ingest/validate';

export const SALES_ALIASES: Readonly<Record<string, SalesMove>> = {
  accept: 'sal',
  reject: 'recycled',
  qualify: 'sql',
  disqualify: 'disqualified',
};

const MOVES = [...SALES_MOVES, ...Object.keys(SALES_ALIASES)];

const bodySchema = z
  .object({
    stage: z
      .string({ error: 'is required' })
      .refine((s) => MOVES.includes(s), `must be one of ${MOVES.join(', ')}`)
      .transform((s) => SALES_ALIASES[s] ?? (s as SalesMove)),
    reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.stage === 'recycled' || body.stage === 'disqualified') && !body.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `is required when moving to ${body.stage}` });
    }
  });

export type StageMove = { stage: SalesMove; reason: string };

export async function readStageMove(c: Context): Promise<StageMove> {
  const text = await c.req.text();
  if (text.length > 10_000) throw new AppError(413, 'payload_too_large', 'body is larger than 10 KB');
  const result = bodySchema.safeParse(parseJsonBody(text));
  if (!result.success) {
    const issue = fieldIssue(result.error, { root: 'body' });
    throw badField(issue.field, issue.message);
  }
  const { stage, reason } = result.data;
  return { stage, reason: reason || `moved to ${stage} by sales` };
}
