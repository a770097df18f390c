/**
 * Delivers batches to `POST /collect` the way a browser beacon does: text/plain body, the
 * visitor's User-Agent, and the site's Origin. Rate limits (429) and unavailability (503) are
 * waited out as Retry-After says; network errors and 5xx are retried with backoff; any other
 * refusal stops the run with the collector's own message.
 */
import type { Batch } from '../../../shared/events';

export interface SendResult {
  accepted: number;
  duplicates: number;
  refused: number;
}

export class SimulationError extends Error {
  override name = 'SimulationError';
}

export interface SenderOptions {
  url: string;
  /** Sent as the Origin header; it must be one of the site's allowed origins. */
  origin: string;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Sender = (batch: Batch, userAgent: string) => Promise<SendResult>;

export function createSender(options: SenderOptions): Sender {
  const endpoint = `${options.url.replace(/\/$/, '')}/collect`;
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? wait;

  return async (batch, userAgent) => {
    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': userAgent, origin: options.origin },
          body: JSON.stringify({ ...batch, sent_at: Date.now() }),
        });
      } catch (error) {
        if (attempt >= maxAttempts) {
          throw new SimulationError(`cannot reach ${endpoint}: ${(error as Error).message}`);
        }
        await sleep(Math.min(8000, 250 * 2 ** attempt));
        continue;
      }
      if (response.status === 202 || response.status === 200) {
        const body = (await response.json()) as {
          accepted?: number;
          duplicates?: number;
          refused?: unknown[];
        };
        return {
          accepted: body.accepted ?? 0,
          duplicates: body.duplicates ?? 0,
          refused: Array.isArray(body.refused) ? body.refused.length : 0,
        };
      }
      const text = await response.text();
      const retryAfter = Number(response.headers.get('retry-after'));
      // A rate limit is the collector pacing us, not a failure: wait it out without using up attempts.
      if (response.status === 429 && rateLimited++ < 200) {
        attempt--;
        await sleep((Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 60) : 1) * 1000);
        continue;
      }
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= maxAttempts) {
        const hint =
          response.status === 403 && text.includes('origin')
            ? ` (the site's allowed origins must include ${options.origin}; see --origin)`
            : '';
        throw new SimulationError(`POST /collect answered ${response.status}: ${text.slice(0, 300)}${hint}`);
      }
      await sleep(
        Number.isFinite(retryAfter) && retryAfter > 0
          ? Math.min(retryAfter, 60) * 1000
          : Math.min(8000, 250 * 2 ** attempt),
      );
    }
  };
}
