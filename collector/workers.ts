/**
 * Background work of one process (webhook delivery, periodic refreshes). Each worker is started
 * here and stopped on shutdown; all of them are safe to run in several processes at once.
 * (The live feed needs no worker: each SSE client tails the transitions table itself, see
 * read/stream.ts, and ends its stream when the server stops listening.)
 */
import { startBreachWorker } from './handoff/breaches';
import { startDispatcher } from './outbox/dispatcher';
import { startDecayRefresh } from './scoring/refresh';
import type { Services } from './services';

export interface Workers {
  stop(): Promise<void>;
}

export function startWorkers(services: Services): Workers {
  const stops: (() => Promise<void>)[] = [];
  // Without webhooks or alerts there is nothing to deliver: no polling at all.
  const { config } = services;
  if (config.webhooks.length > 0 || config.owners.length > 0 || config.alerts.slack.length > 0) {
    const dispatcher = startDispatcher(services);
    stops.push(() => dispatcher.stop());
  }
  // SLA clocks run out without any event: a worker acts on each breach once.
  if (config.sla.length > 0) {
    const breaches = startBreachWorker(services);
    stops.push(() => breaches.stop());
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
