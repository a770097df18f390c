/** The messages between the request thread and the writer thread. */
import type { Config } from '../../config';
import type { CreateDatabaseOptions } from '../../storage/database';
import type { IngestJob, JobOutcome } from '../pipeline';

export interface ThreadWriterData {
  databaseUrl: string;
  database: CreateDatabaseOptions;
  config: Config;
}

/**
 * A job goes to the thread the moment it is submitted: the thread may be idle, and a job held
 * back waits a whole group. Results come back together, one message for every job a group
 * commit settled (a busy collector has dozens per group).
 */
export type ToWorker =
  | {
      kind: 'job';
      id: number;
      job: IngestJob;
      /** When the request handed it over: the queue's deadline counts from here (Date.now, one clock for both threads). */
      since: number;
    }
  | { kind: 'close' };

export type JobResult = { id: number; outcome: JobOutcome } | { id: number; error: ThreadError };

/** A failure as it crosses the thread; `status` is set for an AppError (the client's answer). */
export interface ThreadError {
  message: string;
  code: string | undefined;
  status?: number | undefined;
  retryAfter?: number | undefined;
}

export type FromWorker = { kind: 'ready' } | { kind: 'results'; results: JobResult[] };
