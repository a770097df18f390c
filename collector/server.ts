/**
 * Wires a process: database → migrations → services → HTTP server → background workers, and
 * the reverse on close (stop accepting, drain the writer, stop workers, close the database).
 */
import { type ServerType, serve } from '@hono/node-server';
import { type AppOptions, createApp } from './app';
import { type Clock, systemClock } from './clock';
import type { Config } from './config';
import { loadErasureHasher } from './erasure-key';
import { commitGroup, createIngest } from './ingest/pipeline';
import { createRateLimiter } from './ingest/rate-limit';
import { createThreadWriter } from './ingest/writer/thread';
import { createWriter } from './ingest/writer/writer';
import { Metrics } from './metrics';
import type { Services } from './services';
import {
  type CreateDatabaseOptions,
  createDatabase,
  type DialectName,
  writeTransaction,
} from './storage/database';
import { isTransientConflict } from './storage/errors';
import { migrateToLatest } from './storage/migrate';
import { startWorkers } from './workers';

export interface ServicesOptions {
  clock?: Clock;
  database?: CreateDatabaseOptions;
  /**
   * Where group commits run (default: the config's, from LEADTRAIL_WRITER). `thread` gives the
   * synchronous SQLite work a thread of its own; `inline` runs it on the request thread, as
   * PostgreSQL, `:memory:` and an injected clock (which a thread cannot share) always do.
   */
  writer?: Config['writer'];
}

/** A thread only pays off, and only can run, for a SQLite file on the system clock. */
const useWriterThread = (config: Config, options: ServicesOptions, dialect: DialectName) =>
  (options.writer ?? config.writer) === 'thread' &&
  dialect === 'sqlite' &&
  config.databaseUrl !== ':memory:' &&
  options.clock === undefined;

export async function createServices(config: Config, options: ServicesOptions = {}): Promise<Services> {
  // The config's busy timeout unless a caller (a test) sets its own.
  const databaseOptions = { busyTimeoutMs: config.sqliteBusyTimeoutMs, ...options.database };
  const database = createDatabase(config.databaseUrl, databaseOptions);
  await migrateToLatest(database.db);
  const clock = options.clock ?? systemClock;
  const metrics = new Metrics(config.metrics.cacheSeconds * 1000);
  const erasure = await loadErasureHasher(database.db);
  const pipeline = { config, clock, metrics, erasure };
  const writer = useWriterThread(config, options, database.dialect)
    ? await createThreadWriter({ databaseUrl: config.databaseUrl, database: databaseOptions, config })
    : createWriter({
        transact: (work) => writeTransaction(database.db, work),
        commitGroup: commitGroup(pipeline),
        sizeOf: (job) => job.events.length,
        // One transaction at a time per process; several processes overlap on PostgreSQL, where
        // anonymous ids and contacts are row-locked in a fixed order (identity.ts, touch.ts).
        concurrency: 1,
        isRetryable: isTransientConflict,
        bounds: config.writeQueue,
      });
  const services: Services = {
    config,
    database,
    db: database.db,
    clock,
    metrics,
    writer,
    erasure,
    limiter: createRateLimiter(),
    ingest: createIngest(pipeline, writer),
  };
  metrics.gauge('leadtrail_write_queue_depth', 'Batches waiting for the group commit', () =>
    writer.pending(),
  );
  return services;
}

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  close(): Promise<void>;
}

export interface StartOptions extends AppOptions, ServicesOptions {
  /** Run background workers (webhook dispatcher, …). Default true. */
  workers?: boolean;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const services = await createServices(config, options);
  const app = createApp(services, options);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const workers = options.workers === false ? { stop: async () => {} } : startWorkers(services);
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    services,
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        await services.writer.close();
        await workers.stop();
        await services.database.close();
      })();
      return closed;
    },
  };
}
