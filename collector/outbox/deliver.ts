/**
 * One HTTP attempt: POST the signed body, wait at most 10 s in all, report what happened. The
 * 10 s are a total deadline (connect, send, answer, body), not an idle timeout: a receiver that
 * trickles a byte every few seconds would never be idle, and would hold its delivery (and the
 * dispatcher batch it belongs to) forever. Redirects are not followed (a redirect to an internal address would walk around the SSRF guard), and the
 * connection goes to the address the guard checked.
 */
import http from 'node:http';
import https from 'node:https';
import type { WebhookConfig } from '../config';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from './sign';
import { isPrivateAddress, publicOnlyLookup } from './ssrf';

export const DELIVERY_TIMEOUT_MS = 10_000;

export type DeliveryResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'gone'; status: 410 }
  | { kind: 'failed'; reason: string; error: string };

export interface Delivery {
  id: string;
  event: string;
  attempt: number;
  body: string;
  /** Signature time (the collector's clock). */
  now: number;
}

export interface DeliverOptions {
  /** The whole attempt's deadline in ms (default DELIVERY_TIMEOUT_MS). */
  deadlineMs?: number;
}

export function deliver(
  webhook: WebhookConfig,
  delivery: Delivery,
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  const deadlineMs = options.deadlineMs ?? DELIVERY_TIMEOUT_MS;
  const url = new URL(webhook.url);
  if (!webhook.allow_private && isPrivateAddress(url.hostname)) {
    return Promise.resolve({
      kind: 'failed',
      reason: 'private_address',
      error: `${url.hostname} is a loopback, private or link-local address (not allowed)`,
    });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((done) => {
    let settled = false;
    const resolve = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      done(result);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        timeout: deadlineMs,
        ...(webhook.allow_private ? {} : { lookup: publicOnlyLookup }),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'leadtrail-webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(webhook.secret, delivery.body, delivery.now),
          [DELIVERY_HEADER]: delivery.id,
          [EVENT_HEADER]: delivery.event,
          'X-Leadtrail-Attempt': String(delivery.attempt),
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < 500) text += chunk;
        });
        response.on('error', () => undefined);
        response.on('end', () => {
          if (status >= 200 && status < 300) resolve({ kind: 'delivered', status });
          else if (status === 410) resolve({ kind: 'gone', status: 410 });
          else
            resolve({
              kind: 'failed',
              reason: `http_${Math.floor(status / 100)}xx`,
              error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
            });
        });
      },
    );
    const deadline = setTimeout(() => {
      resolve({ kind: 'failed', reason: 'timeout', error: `no complete answer within ${deadlineMs} ms` });
      request.destroy();
    }, deadlineMs);
    request.on('timeout', () => {
      resolve({ kind: 'failed', reason: 'timeout', error: `no answer within ${deadlineMs} ms` });
      request.destroy();
    });
    request.on('error', (error: Error & { code?: string }) =>
      resolve({
        kind: 'failed',
        reason: error.code === 'EPRIVATEADDRESS' ? 'private_address' : 'network',
        error: error.message,
      }),
    );
    request.end(delivery.body);
  });
}
