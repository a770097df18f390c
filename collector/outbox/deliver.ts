/**
 * One HTTP attempt: POST the signed body, wait at most 10 s, report what happened. Redirects are
 * not followed (a redirect to an internal address would walk around the SSRF guard), and the
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

export function deliver(webhook: WebhookConfig, delivery: Delivery): Promise<DeliveryResult> {
  const url = new URL(webhook.url);
  if (!webhook.allow_private && isPrivateAddress(url.hostname)) {
    return Promise.resolve({
      kind: 'failed',
      reason: 'private_address',
      error: `${url.hostname} is a loopback, private or link-local address (not allowed)`,
    });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        timeout: DELIVERY_TIMEOUT_MS,
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
    request.on('timeout', () => request.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
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
