/** The messages between the request thread and the writer thread. */
import type { Config } from '../config';
import type { CreateDatabaseOptions } from '../storage/database';
import type { IngestJob, JobOutcome } from './pipeline';

export interface ThreadWriterData {
  databaseUrl: string;
  database: CreateDatabaseOptions;
  config: Config;
}

export type ToWorker = { kind: 'job'; id: number; job: IngestJob } | { kind: 'close' };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; outcome: JobOutcome }
  | { kind: 'failed'; id: number; error: { message: string; code: string | undefined } }
  | { kind: 'closed' };
