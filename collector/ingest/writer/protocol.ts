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
export type ToWorker = { kind: 'job'; id: number; job: IngestJob } | { kind: 'close' };

export type JobResult =
  | { id: number; outcome: JobOutcome }
  | { id: number; error: { message: string; code: string | undefined } };

export type FromWorker = { kind: 'ready' } | { kind: 'results'; results: JobResult[] };
