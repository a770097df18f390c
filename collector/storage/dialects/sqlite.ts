/**
 * The embedded default: better-sqlite3 in WAL mode, and what its error codes mean. This file and
 * postgres.ts are the only ones that know which database is underneath; the rest of the
 * collector asks storage/errors.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

export interface SqliteOptions {
  /** File path, or `:memory:`. */
  path: string;
  /** How long a writer waits for the lock before giving up with SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
  /** Upper bound on the file size in pages (tests use it to simulate a full disk). */
  maxPageCount?: number;
  /**
   * Run WAL checkpoints in a worker thread (default true). A second connection to a file that
   * already has one (the writer thread's) passes false: one checkpointer per file is enough.
   */
  checkpointer?: boolean;
}

/**
 * Kysely's SQLite driver prepares every query it runs. Caching statements by SQL text makes a
 * query built once and reused (the hot write path) cost a bind and a step, not a parse.
 */
function withStatementCache(db: SQLite.Database, limit = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'prepare') return Reflect.get(target, key, receiver);
      return (source: string) => {
        let statement = cache.get(source);
        if (!statement) {
          statement = prepare(source);
          if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
          cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}

/** better-sqlite3 puts SQLite's (extended) result code name on the error, e.g. `SQLITE_BUSY`. */
const codeOf = (error: unknown): string => (error as { code?: unknown } | null)?.code?.toString() ?? '';

/** Another connection holds the write lock past busy_timeout (or a table lock). */
export const isSqliteBusy = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

/** The file reached the disk's (or max_page_count's) limit. */
export const isSqliteFull = (error: unknown): boolean => codeOf(error) === 'SQLITE_FULL';

/** The operating system refused a read or write of the file. */
export const isSqliteIoError = (error: unknown): boolean => codeOf(error) === 'SQLITE_IOERR';

/** A unique-key race between two processes: running the transaction again resolves it. */
export const isSqliteUniqueConflict = (error: unknown): boolean =>
  codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE';

export function createSqlite(options: SqliteOptions) {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const raw = new SQLite(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  raw.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit is in the WAL file (the OS has it) before we answer, so a
  // killed process loses nothing acknowledged; only a power cut can lose the last commits.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = OFF');
  // Deleted rows are overwritten with zeros, not left in free space and free pages, so an
  // erased person cannot be read back out of the file (api/erase.ts).
  raw.pragma('secure_delete = ON');
  if (options.maxPageCount) raw.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
  const checkpointer =
    options.path === ':memory:' || options.checkpointer === false
      ? null
      : startCheckpointer(options.path, () => raw.pragma('wal_autocheckpoint = 1000'));
  // Commits never checkpoint; the checkpointer (this connection's or another's) does.
  if (options.path !== ':memory:') raw.pragma('wal_autocheckpoint = 0');
  const dialect = new SqliteDialect({ database: withStatementCache(raw) });
  return { dialect, raw, stop: () => checkpointer?.stop() ?? Promise.resolve() };
}

// Runs in a worker thread with its own connection: copying the WAL back into the database
// (and its fsync) happens beside the request path instead of inside some unlucky commit.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: 2000 });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

function startCheckpointer(path: string, onFailure: () => void, intervalMs = 1000) {
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { path, intervalMs, module: import.meta.resolve('better-sqlite3').replace(/^file:\/\//, '') },
  });
  worker.unref();
  // If the worker cannot run, fall back to SQLite's own checkpoints rather than grow the WAL forever.
  let failed = false;
  worker.on('error', () => {
    failed = true;
    onFailure();
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (failed) return resolve();
        // Keep the process alive until the final checkpoint is done (the worker is unref'd).
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate().then(() => resolve()), 5000).unref();
      }),
  };
}
