/**
 * Everything a route or worker needs, built once per process and passed down explicitly. No
 * module keeps state of its own, so tests build as many independent apps as they like.
 */
import type { Kysely } from 'kysely';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Ingest, IngestJob, JobOutcome } from './ingest/pipeline';
import type { RateLimiter } from './ingest/rate-limit';
import type { Writer } from './ingest/writer/writer';
import type { Metrics } from './metrics';
import type { ErasureHasher } from './privacy';
import type { DatabaseHandle } from './storage/database';
import type { Database } from './storage/schema';

export interface Services {
  config: Config;
  database: DatabaseHandle;
  db: Kysely<Database>;
  clock: Clock;
  metrics: Metrics;
  writer: Writer<IngestJob, JobOutcome>;
  ingest: Ingest;
  limiter: RateLimiter;
  /** Keyed erasure hashes with this installation's key (privacy.ts). */
  erasure: ErasureHasher;
}
