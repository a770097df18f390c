/**
 * Reassignment by sales (`POST /api/contacts/:id/owner` and the dashboard): a configured owner, or
 * `null` to leave the lead unowned, with an optional reason; recorded in the assignment history,
 * and the new owner is told through the outbox in the same transaction.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { fieldIssue } from '../../shared/field-issue';
import { AppError, badField, notFound } from '../errors';
import { parseJsonBody } from '../ingest/validate';
import type { Services } from '../services';
import { forUpdate, writeTransaction } from '../storage/database';
import { enqueueAlerts, ownerById, recordAssignment } from './assign';

const bodySchema = z.strictObject({
  owner: z.string().max(40).nullable(),
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

export async function readReassign(c: Context): Promise<z.output<typeof bodySchema>> {
  const text = await c.req.text();
  if (text.length > 10_000) throw new AppError(413, 'payload_too_large', 'body is larger than 10 KB');
  const result = bodySchema.safeParse(parseJsonBody(text));
  if (!result.success) {
    const issue = fieldIssue(result.error, { root: 'body' });
    throw badField(issue.field, issue.message);
  }
  return result.data;
}

export async function reassign(
  services: Services,
  contactId: string,
  to: string | null,
  why: string | undefined,
  actor: string,
): Promise<void> {
  const { config } = services;
  const owner = to === null ? undefined : ownerById(config, to);
  if (to !== null && !owner)
    throw badField(
      'owner',
      `must be one of ${config.owners.map((o) => o.id).join(', ') || '(no owners configured)'}`,
    );
  await writeTransaction(services.db, async (trx) => {
    const contact = await forUpdate(
      trx,
      trx
        .selectFrom('contacts')
        .select(['id', 'site', 'owner', 'stage', 'owner_reason'])
        .where('id', '=', contactId),
    ).executeTakeFirst();
    if (!contact) throw notFound('contact');
    if (contact.owner === to)
      throw new AppError(409, 'conflict', `contact is already owned by ${to ?? 'nobody'}`, 'owner');
    const now = services.clock();
    const reason = `reassigned to ${owner?.name ?? 'nobody'} by ${actor}${why ? `: ${why}` : ''}`;
    await recordAssignment(trx, contact, to, reason, actor, now);
    if (owner && (contact.stage === 'mql' || contact.stage === 'sql')) {
      await enqueueAlerts(
        trx,
        config,
        { alert: contact.stage, contact_id: contact.id, owner: owner.id, routing_reason: reason },
        owner,
        now,
      );
    }
  });
}
