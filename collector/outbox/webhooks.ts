/**
 * Which configured webhook a delivery belongs to. Deliveries name their webhook by `name`, or by
 * URL when it has none, so a config reload that reorders webhooks changes nothing.
 */
import type { Config, WebhookConfig, WebhookEvent } from '../config';

export const webhookId = (webhook: WebhookConfig): string => webhook.name ?? webhook.url;

/**
 * A webhook's name for people who may not see its URL (read-only keys, metrics labels): the
 * name, or only the URL's host — paths, queries and user info often carry the receiver's secret.
 */
export function webhookLabel(id: string): string {
  if (!/^https?:\/\//i.test(id)) return id;
  try {
    return new URL(id).host;
  } catch {
    return 'webhook';
  }
}

/**
 * A function that cuts a webhook URL's secret parts out of text (an error message, a receiver's
 * answer): every URL down to scheme and host, and each configured webhook's path, query and user
 * info wherever they appear on their own (a receiver answering "Cannot POST /hooks/tok_…").
 */
export function urlRedactor(webhooks: readonly Pick<WebhookConfig, 'url'>[]): (text: string) => string {
  const parts = new Set<string>();
  for (const { url } of webhooks) {
    try {
      const parsed = new URL(url);
      for (const part of [
        `${parsed.pathname}${parsed.search}`,
        parsed.pathname,
        parsed.search,
        parsed.password,
        parsed.username,
      ])
        if (part.length > 1) parts.add(decodeURIComponent(part)).add(part);
    } catch {}
  }
  // Longest first, so a path with its query goes before the path alone.
  const secrets = [...parts].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.slice(0, 2000).replace(/\b(https?):\/\/[^\s"'<>]*/gi, (url, scheme: string) => {
      const label = webhookLabel(url);
      return label === 'webhook' ? `${scheme}://…` : `${scheme}://${label}/…`;
    });
    for (const secret of secrets) out = out.split(secret).join('…');
    return out;
  };
}

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
