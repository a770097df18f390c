/**
 * Background work of one process (webhook delivery, periodic refreshes). Each worker is started
 * here and stopped on shutdown; all of them are safe to run in several processes at once.
 */
import type { Services } from './services';

export interface Workers {
  stop(): Promise<void>;
}

export function startWorkers(_services: Services): Workers {
  const stops: (() => Promise<void>)[] = [];
  return {
    async stop() {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
