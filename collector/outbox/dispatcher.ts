/**
 * Delivers the outbox. Every state lives in the outbox row, so deliveries survive restarts and
 * several processes can run this loop on one database: a process takes a row with a conditional
 * UPDATE (still due, still at the attempt count it read) and only the one whose UPDATE changed
 * the row sends it. A taken row is leased; if its process dies mid-send, the lease runs out and
 * another process picks it up. Due times come from `services.clock`, so tests can skip backoff.
 */

import { type BuiltAlert, buildAlert, postSlack, sendEmail, storedAlert } from '../handoff/send';
import { isAlertTarget, resolveTarget } from '../handoff/targets';
import type { Metrics } from '../metrics';
import type { Services } from '../services';
import type { OutboxRow } from '../storage/schema';
import { retryDelay, shouldGiveUp } from './backoff';
import { type DeliveryResult, deliver } from './deliver';
import { disabledUrls, disableUrl } from './disabled';
import { buildBody, storedBody } from './payload';
import { findWebhook, webhookLabel } from './webhooks';

export const STATUS = {
  pending: 'pending',
  sending: 'sending',
  delivered: 'delivered',
  failed: 'failed',
  disabled: 'disabled',
  cancelled: 'cancelled',
} as const;

export interface DispatcherOptions {
  pollMs?: number;
  /** Rows taken per poll. */
  batch?: number;
  /** How long a taken row belongs to its process (must exceed the delivery deadline). */
  leaseMs?: number;
  /** One attempt's total deadline in ms (default DELIVERY_TIMEOUT_MS, 10 s). */
  deliveryDeadlineMs?: number;
}

export interface Dispatcher {
  /** One pass over due deliveries (the loop calls it; tests may too). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

const countDelivery = (metrics: Metrics, webhook: string, result: string) =>
  metrics.inc('leadtrail_webhook_deliveries_total', 'Webhook deliveries by final result', {
    webhook,
    result,
  });

const countFailure = (metrics: Metrics, webhook: string, reason: string) =>
  metrics.inc('leadtrail_webhook_failures_total', 'Failed webhook attempts, by reason', { webhook, reason });

/** A label that names the webhook without leaking a URL's path or query. */
const label = (row: OutboxRow) => webhookLabel(row.webhook);

export function startDispatcher(services: Services, options: DispatcherOptions = {}): Dispatcher {
  const { db, clock, config, metrics } = services;
  const pollMs = options.pollMs ?? 500;
  const batch = options.batch ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const inFlight = new Set<string>();

  /** Ends a row's attempt, unless its lease was lost to another process meanwhile. */
  const finish = (row: OutboxRow, attempts: number, set: Partial<OutboxRow>) =>
    db
      .updateTable('outbox')
      .set(set)
      .where('id', '=', row.id)
      .where('attempts', '=', attempts)
      .where('status', '=', STATUS.sending)
      .execute();

  async function claim(row: OutboxRow, now: number): Promise<number | undefined> {
    const attempts = row.attempts + 1;
    const result = await db
      .updateTable('outbox')
      .set({ status: STATUS.sending, attempts, next_attempt_at: now + leaseMs })
      .where('id', '=', row.id)
      .where('attempts', '=', row.attempts)
      .where('status', 'in', [STATUS.pending, STATUS.sending])
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? attempts : undefined;
  }

  /** Records an attempt's result: delivered, or back to pending with backoff, or given up. */
  async function settle(row: OutboxRow, attempts: number, result: DeliveryResult): Promise<void> {
    const after = clock();
    if (result.kind === 'delivered') {
      countDelivery(metrics, label(row), 'delivered');
      await finish(row, attempts, { status: STATUS.delivered, delivered_at: after, last_error: null });
      return;
    }
    const error = result.kind === 'gone' ? 'HTTP 410 Gone' : result.error;
    countFailure(metrics, label(row), result.kind === 'gone' ? 'gone' : result.reason);
    if (shouldGiveUp(row.created_at, after)) {
      countDelivery(metrics, label(row), 'given_up');
      await finish(row, attempts, { status: STATUS.failed, last_error: error });
    } else {
      await finish(row, attempts, {
        status: STATUS.pending,
        next_attempt_at: after + retryDelay(attempts),
        last_error: error,
      });
    }
  }

  /** A Slack or email alert (handoff/): built once, then retried like a webhook. */
  async function attemptAlert(row: OutboxRow, attempts: number): Promise<void> {
    const target = resolveTarget(config, row.webhook);
    if (!target) {
      return void (await finish(row, attempts, {
        status: STATUS.cancelled,
        last_error: 'alert target no longer configured',
      }));
    }
    const stored = storedAlert(row.payload);
    let built: BuiltAlert;
    if ('built' in stored) built = stored.built;
    else {
      const fresh = await buildAlert(db, config, stored.queued, target);
      if (!fresh) {
        return void (await finish(row, attempts, {
          status: STATUS.cancelled,
          last_error: 'contact is gone',
        }));
      }
      built = fresh;
      await finish(row, attempts, { payload: JSON.stringify(built) });
    }
    const result =
      target.kind === 'slack' && 'slack' in built
        ? await postSlack(target.url, built.slack, config.alerts.allow_private)
        : target.kind === 'email' && 'email' in built
          ? await sendEmail(config, target.to.email, built.email, row.id)
          : ({
              kind: 'failed',
              reason: 'mismatch',
              error: 'stored message does not fit its target',
            } as const);
    await settle(row, attempts, result);
  }

  async function attempt(row: OutboxRow, disabled: Set<string>): Promise<void> {
    const now = clock();
    const attempts = await claim(row, now);
    if (attempts === undefined) return;
    if (isAlertTarget(row.webhook)) return attemptAlert(row, attempts);
    const webhook = findWebhook(config, row.webhook);
    if (!webhook) {
      return void (await finish(row, attempts, {
        status: STATUS.cancelled,
        last_error: 'webhook no longer configured',
      }));
    }
    if (disabled.has(webhook.url)) {
      countDelivery(metrics, label(row), 'disabled');
      return void (await finish(row, attempts, {
        status: STATUS.disabled,
        last_error: 'endpoint answered 410 Gone earlier',
      }));
    }

    const stored = storedBody(row.payload);
    let body: string;
    if ('body' in stored) body = stored.body;
    else {
      const built = await buildBody(db, config.scoring, row.id, stored.queued, row.created_at);
      if (built === undefined) {
        return void (await finish(row, attempts, {
          status: STATUS.cancelled,
          last_error: 'contact is gone',
        }));
      }
      body = built;
      await finish(row, attempts, { payload: body });
    }

    const result = await deliver(
      webhook,
      { id: row.id, event: row.event, attempt: attempts, body, now: clock() },
      options.deliveryDeadlineMs === undefined ? {} : { deadlineMs: options.deliveryDeadlineMs },
    );
    const after = clock();
    if (result.kind === 'delivered') {
      countDelivery(metrics, label(row), 'delivered');
      await finish(row, attempts, { status: STATUS.delivered, delivered_at: after, last_error: null });
    } else if (result.kind === 'gone') {
      countDelivery(metrics, label(row), 'gone');
      await disableUrl(db, webhook.url, after);
      await finish(row, attempts, {
        status: STATUS.disabled,
        last_error: 'HTTP 410 Gone: endpoint disabled',
      });
    } else {
      countFailure(metrics, label(row), result.reason);
      if (shouldGiveUp(row.created_at, after)) {
        countDelivery(metrics, label(row), 'given_up');
        await finish(row, attempts, { status: STATUS.failed, last_error: result.error });
      } else {
        await finish(row, attempts, {
          status: STATUS.pending,
          next_attempt_at: after + retryDelay(attempts),
          last_error: result.error,
        });
      }
    }
  }

  async function tick(): Promise<void> {
    const now = clock();
    const due = await db
      .selectFrom('outbox')
      .selectAll()
      .where('status', 'in', [STATUS.pending, STATUS.sending])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(batch)
      .execute();
    if (due.length === 0) return;
    const disabled = await disabledUrls(db);
    await Promise.all(
      due
        .filter((row) => !inFlight.has(row.id))
        .map(async (row) => {
          inFlight.add(row.id);
          try {
            await attempt(row, disabled);
          } catch (error) {
            console.error(`webhook delivery ${row.id} failed unexpectedly:`, (error as Error).message);
          } finally {
            inFlight.delete(row.id);
          }
        }),
    );
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    if (stopped) return;
    running = tick()
      .catch((error) => console.error('webhook dispatcher:', (error as Error).message))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  timer = setTimeout(loop, pollMs);

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
