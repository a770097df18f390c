/**
 * One alert attempt for the outbox dispatcher: build the message at the first attempt (after the
 * commit, so it tells the committed story) and keep it for every retry, then post it to Slack or
 * send it over SMTP. Results use the webhooks' vocabulary, so retries and backoff are shared.
 */
import http from 'node:http';
import https from 'node:https';
import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import { loadContactView, loadTimeline } from '../api/contact-view';
import type { Config } from '../config';
import { readJsonObject } from '../json-column';
import { DELIVERY_TIMEOUT_MS, type DeliveryResult } from '../outbox/deliver';
import { isPrivateAddress, publicOnlyLookup } from '../outbox/ssrf';
import type { Database } from '../storage/schema';
import type { QueuedAlert } from './assign';
import { type AlertEmail, alertEmail } from './email';
import { slackMessage } from './slack';
import { buildStory } from './story';
import type { AlertTarget } from './targets';

export const TIMELINE_FOR_ALERTS = 30;

/** What an alert's payload column holds once its message is built. */
export type BuiltAlert = { slack: Record<string, unknown> } | { email: AlertEmail };

export function storedAlert(payload: string): { built: BuiltAlert } | { queued: QueuedAlert } {
  const parsed = readJsonObject(payload, 'outbox.payload') ?? {};
  return 'slack' in parsed || 'email' in parsed
    ? { built: parsed as unknown as BuiltAlert }
    : { queued: parsed as unknown as QueuedAlert };
}

/** undefined when the contact is gone. */
export async function buildAlert(
  db: Kysely<Database>,
  config: Config,
  queued: QueuedAlert,
  target: AlertTarget,
): Promise<BuiltAlert | undefined> {
  const contact = await loadContactView(db, config.scoring, queued.contact_id);
  if (!contact) return undefined;
  const { items } = await loadTimeline(db, queued.contact_id, TIMELINE_FOR_ALERTS);
  const owner = config.owners.find((o) => o.id === queued.owner);
  const story = buildStory({
    event: queued.alert,
    contact,
    timeline: items,
    owner: owner?.name ?? queued.owner,
    routing: queued.routing_reason ?? null,
    due_at: queued.due_at ?? null,
    dashboardUrl: config.alerts.dashboard_url,
    escalatedFrom: queued.escalated_from
      ? (config.owners.find((o) => o.id === queued.escalated_from)?.name ?? queued.escalated_from)
      : undefined,
  });
  return target.kind === 'slack'
    ? { slack: slackMessage(story, owner?.slack_member_id) }
    : { email: alertEmail(story) };
}

export function postSlack(url: string, message: unknown, allowPrivate: boolean): Promise<DeliveryResult> {
  const target = new URL(url);
  if (!allowPrivate && isPrivateAddress(target.hostname)) {
    return Promise.resolve({
      kind: 'failed',
      reason: 'private_address',
      error: `${target.hostname} is a loopback, private or link-local address (not allowed)`,
    });
  }
  const body = JSON.stringify(message);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        timeout: DELIVERY_TIMEOUT_MS,
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
        headers: { 'content-type': 'application/json', 'user-agent': 'leadtrail-alerts/1' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < 500) text += chunk;
        });
        response.on('error', () => undefined);
        response.on('end', () =>
          resolve(
            status >= 200 && status < 300
              ? { kind: 'delivered', status }
              : {
                  kind: 'failed',
                  reason: `http_${Math.floor(status / 100)}xx`,
                  error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
                },
          ),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
    request.on('error', (error: Error) =>
      resolve({ kind: 'failed', reason: 'network', error: error.message }),
    );
    request.end(body);
  });
}

const transports = new WeakMap<object, Transporter>();

function transportFor(config: Config): Transporter {
  const smtp = config.alerts.email!;
  let transport = transports.get(smtp);
  if (!transport) {
    transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: DELIVERY_TIMEOUT_MS,
      greetingTimeout: DELIVERY_TIMEOUT_MS,
      socketTimeout: DELIVERY_TIMEOUT_MS,
    });
    transports.set(smtp, transport);
  }
  return transport;
}

export async function sendEmail(
  config: Config,
  to: string,
  email: AlertEmail,
  messageId: string,
): Promise<DeliveryResult> {
  try {
    await transportFor(config).sendMail({
      from: config.alerts.email!.from,
      to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      // The delivery id: a retry after a lost answer carries the same Message-ID.
      messageId: `<${messageId}@leadtrail>`,
    });
    return { kind: 'delivered', status: 250 };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    return {
      kind: 'failed',
      reason: code ? `smtp_${Math.floor(code / 100)}xx` : 'network',
      error: (error as Error).message.slice(0, 300),
    };
  }
}
