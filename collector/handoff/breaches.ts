/**
 * The SLA worker: finds clocks that ran out unanswered and, in one transaction per contact,
 * marks the breach and queues its alerts (the owner, then the configured manager) and, if the
 * rule says so, reassigns the lead. The mark is a conditional UPDATE (`sla_breached_at IS NULL`),
 * so across processes and restarts each breach is acted on exactly once; the alerts are outbox
 * rows committed with the mark, so a SIGKILL before the commit loses nothing and repeats nothing.
 */
import type { Services } from '../services';
import { writeTransaction } from '../storage/database';
import { decideOwner, enqueueAlerts, ownerById, recordAssignment } from './assign';
import { slaRuleFor } from './sla';

export type BreachTarget = Pick<Services, 'db' | 'config' | 'clock'>;

/** Acts on every breach due now; returns how many it handled. */
export async function handleBreaches(services: BreachTarget, limit = 100): Promise<number> {
  const { db, config, clock } = services;
  const now = clock();
  const due = await db
    .selectFrom('contacts')
    .select('id')
    .where('sla_due_at', '<=', now)
    .where('sla_answered_at', 'is', null)
    .where('sla_breached_at', 'is', null)
    .orderBy('sla_due_at')
    .limit(limit)
    .execute();
  let handled = 0;
  for (const { id } of due) {
    const acted = await writeTransaction(db, async (trx) => {
      const marked = await trx
        .updateTable('contacts')
        .set({ sla_breached_at: now })
        .where('id', '=', id)
        .where('sla_breached_at', 'is', null)
        .where('sla_answered_at', 'is', null)
        .where('sla_due_at', '<=', now)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) !== 1) return false;
      const contact = await trx
        .selectFrom('contacts')
        .select(['id', 'site', 'domain', 'email', 'traits', 'stage', 'owner', 'owner_reason', 'sla_due_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const owner = ownerById(config, contact.owner);
      const base = {
        alert: 'sla_breach' as const,
        contact_id: id,
        owner: contact.owner,
        routing_reason: contact.owner_reason,
        due_at: contact.sla_due_at,
      };
      await enqueueAlerts(trx, config, base, owner, now);
      const rule = slaRuleFor(config.sla, contact.stage) ?? config.sla[0];
      const manager = ownerById(config, rule?.escalate_to);
      if (manager)
        await enqueueAlerts(
          trx,
          config,
          { ...base, escalated_from: contact.owner ?? undefined },
          manager,
          now,
        );
      if (rule?.reassign && config.owners.length > 0) {
        const decision = await decideOwner(trx, config, contact, now, contact.owner ?? undefined);
        if (decision.kind !== 'nobody') {
          const reason = `SLA breached by ${owner?.name ?? contact.owner ?? 'nobody'}; ${decision.reason}`;
          await recordAssignment(trx, contact, decision.owner, reason, 'sla', now);
          const next = ownerById(config, decision.owner);
          await enqueueAlerts(
            trx,
            config,
            { ...base, owner: decision.owner, routing_reason: reason },
            next,
            now,
          );
        }
      }
      return true;
    });
    if (acted) handled++;
  }
  return handled;
}

export interface BreachWorker {
  stop(): Promise<void>;
}

export function startBreachWorker(services: BreachTarget, pollMs = 15_000): BreachWorker {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => (stopped ? 0 : handleBreaches(services)))
      .catch((error) => console.error('SLA worker:', (error as Error).message));
  }, pollMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
