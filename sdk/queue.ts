/**
 * Delivery: every event is written to a persisted queue first and leaves it only when the
 * collector has answered for it, so a reload, a crash or a collector outage loses nothing.
 *
 *   add → stored → (10 waiting | 2 s | page hidden) → claimed → sent → answer → removed | retried
 *
 * Each stored item carries its attempts and a "not before" time. Claiming an item moves that
 * time 30 s ahead: it is the lease that stops another tab (they share localStorage) or a second
 * flush of this one from sending the same event while a request is in flight, and after a
 * failure it becomes the backoff.
 *
 * When the page goes away, what is due is sent at once, unleased, and the answer will likely
 * never be read. If the collector has just answered this page with a delivery, that last
 * request is trusted and its events leave the queue. Otherwise (collector failing, or no answer
 * yet) they stay, and the next page sends them again: a duplicate at worst, which the collector
 * answers without storing twice (it keeps each event id once); never a loss.
 */
import type { Batch, WireEvent } from '../shared/events';
import {
  BACKOFF_MAX_MS,
  BACKOFF_MIN_MS,
  FLUSH_AT,
  FLUSH_INTERVAL_MS,
  MAX_ATTEMPTS,
  MAX_BODY_BYTES,
  RETRY_AFTER_MAX_MS,
  SDK_MAX_EVENT_AGE_MS,
  SDK_MAX_STORED,
} from '../shared/limits';
import { safe } from './safe';
import { get, set } from './storage';
import { type Outcome, post } from './transport';

export const QUEUE_KEY = '_lt_q';

/** [event, attempts so far, not before (ms)] */
export type Item = [WireEvent, number, number];

/** While events are stored, the queue looks at them this often (backoffs end on this grid). */
const POLL_MS = BACKOFF_MIN_MS;
/** How long claimed events are left alone while their request is in flight. */
const LEASE_MS = 30_000;
/**
 * Characters per chunk: a JSON character is at most 3 UTF-8 bytes, so this keeps a body under
 * 64 KB whatever the text, with room for the envelope. (≤ 100 events per chunk holds by itself:
 * the queue never stores more.)
 */
const CHUNK_CHARS = (MAX_BODY_BYTES - 1024) / 3;

/** Exponential backoff from 0.5 s to 60 s, ±10 % jitter so clients do not retry in lockstep. */
export const backoff = (attempts: number): number =>
  Math.min(BACKOFF_MAX_MS, (BACKOFF_MIN_MS / 2) << attempts) * (0.9 + Math.random() / 5);

export interface Queue {
  add(event: WireEvent): void;
  /** Sends what is due; `unload`: the page is going away (nothing is leased, see above). */
  flush(unload?: boolean): void;
}

export function createQueue(site: string, url: string, allowed: () => unknown): Queue {
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  /** Answers received since the last flush, by event id; applied to the stored items by the next flush. */
  let answers: Record<string, Outcome> = {};
  /** The last answer was a delivery: a request sent as the page goes away will likely arrive too. */
  let healthy: unknown;

  /** The stored queue without expired or malformed items. */
  const load = (): Item[] =>
    (get<Item[]>(QUEUE_KEY) || []).filter((item) => Date.now() - item?.[0]?.ts < SDK_MAX_EVENT_AGE_MS);
  /**
   * Keeps what still has attempts left (trusted unload requests are marked as done), and the newest
   * SDK_MAX_STORED of those: when the collector is gone for long, the oldest go first.
   */
  const save = (items: Item[]) =>
    set(QUEUE_KEY, items.filter((item) => item[1] < MAX_ATTEMPTS).slice(-SDK_MAX_STORED));

  /** Flushes in `ms`, unless a flush is already planned. */
  const schedule = (ms: number) => {
    if (!timer)
      timer = setTimeout(() => {
        timer = 0;
        safe(flush)();
      }, ms);
  };

  const flush = (unload?: boolean) => {
    if (!allowed()) return;
    const now = Date.now();
    // Apply the answers: delivered (or refused for good) items leave; failed ones wait their
    // backoff (or the server's Retry-After), until the last attempt.
    const items = load().filter((item) => {
      const answer = answers[item[0].id];
      if (answer == null) return true;
      if (!answer || ++item[1] >= MAX_ATTEMPTS) return false;
      item[2] = now + Math.min(answer > 0 ? answer : backoff(item[1]), RETRY_AFTER_MAX_MS);
      return true;
    });
    answers = {};
    // Claim what is due, in chunks of at most 64 KB.
    let chunk: WireEvent[] = [];
    const chunks = [chunk];
    let size = 0;
    for (const item of items) {
      if (item[2] <= now) {
        const chars = JSON.stringify(item[0]).length + 1;
        if (size + chars > CHUNK_CHARS) {
          chunk = [];
          chunks.push(chunk);
          size = 0;
        }
        chunk.push(item[0]);
        size += chars;
        if (!unload) item[2] = now + LEASE_MS;
        // On unload the request is trusted when the collector has just delivered: its events leave.
        // Otherwise they stay due, and the next page (or this one, if it lives on) sends them
        // again; the collector stores each event id once.
        else if (healthy) item[1] = MAX_ATTEMPTS;
      }
    }
    save(items);
    // Whatever stays stored (in flight, waiting its backoff, another tab's) is looked at again soon.
    if (items[0]) schedule(POLL_MS);
    for (const claimed of chunks)
      if (claimed[0]) {
        // The same request when the page goes away: if it is gone before the answer, nobody reads it.
        post(url, JSON.stringify({ site, sent_at: now, events: claimed } satisfies Batch)).then((answer) => {
          healthy = !answer;
          for (const event of claimed) answers[event.id] = answer;
          flush();
        });
      }
  };

  // Events left by earlier pages go out with this page's first batch.
  if (load()[0]) schedule(FLUSH_INTERVAL_MS);

  return {
    add(event) {
      const items = load();
      items.push([event, 0, 0]);
      save(items);
      if (items.length < FLUSH_AT) schedule(FLUSH_INTERVAL_MS);
      else flush();
    },
    flush,
  };
}
