/**
 * Background work of one process (webhook delivery, periodic refreshes). Each worker is started
 * here and stopped on shutdown; all of them are safe to run in several processes at once.
 * (The live feed needs no worker: each SSE client tails the transitions table itself, see
 * read/stream.ts, and ends its stream when the server stops listening.)
 */
import { startDispatcher } from './outbox/dispatcher';
import { startDecayRefresh } from './scoring/refresh';
import type { Services } from './services';

export interface Workers {
  stop(): Promise<void>;
}

export function startWorkers(services: Services): Workers {
  const stops: (() => Promise<void>)[] = [];
  // Without webhooks there is nothing to deliver: no polling at all.
  if (services.config.webhooks.length > 0) {
    const dispatcher = startDispatcher(services);
    stops.push(() => dispatcher.stop());
  }
  // Scores decay without new events: re-score stale contacts so the feed and temperature stay current.
  const refresh = startDecayRefresh(services);
  stops.push(() => refresh.stop());
  return {
    async stop() {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
