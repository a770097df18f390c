/**
 * Which configured webhook a delivery belongs to. Deliveries name their webhook by `name`, or by
 * URL when it has none, so a config reload that reorders webhooks changes nothing.
 */
import type { Config, WebhookConfig, WebhookEvent } from '../config';

export const webhookId = (webhook: WebhookConfig): string => webhook.name ?? webhook.url;

export const findWebhook = (config: Config, id: string): WebhookConfig | undefined =>
  config.webhooks.find((w) => webhookId(w) === id);

/**
 * The one event a webhook gets for a move: the specific `contact.mql` / `contact.sql` when it
 * subscribed to it, else `contact.stage_changed` — one delivery per webhook per transition.
 */
export function eventFor(webhook: WebhookConfig, toStage: string): WebhookEvent | undefined {
  const specific = toStage === 'mql' ? 'contact.mql' : toStage === 'sql' ? 'contact.sql' : undefined;
  if (specific && webhook.events.includes(specific)) return specific;
  return webhook.events.includes('contact.stage_changed') ? 'contact.stage_changed' : undefined;
}
