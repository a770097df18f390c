/** The messages between the request thread and the writer thread. */
import type { Config } from '../config';
import type { CreateDatabaseOptions } from '../storage/database';
import type { IngestJob, JobOutcome } from './pipeline';

export interface ThreadWriterData {
  databaseUrl: string;
  database: CreateDatabaseOptions;
  config: Config;
}

/**
 * Jobs and results travel in batches: everything submitted in one turn of the event loop goes
 * in one message, and everything a group commit settles comes back in one. A message costs
 * about as much to send as a small job does to clone, and a busy collector has dozens per turn.
 */
export type ToWorker = { kind: 'jobs'; jobs: { id: number; job: IngestJob }[] } | { kind: 'close' };

export type JobResult =
  | { id: number; outcome: JobOutcome }
  | { id: number; error: { message: string; code: string | undefined } };

export type FromWorker = { kind: 'ready' } | { kind: 'results'; results: JobResult[] } | { kind: 'closed' };
