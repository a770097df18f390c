/**
 * PostgreSQL for several collector processes on one database. Same queries, same migrations;
 * this file only builds the pool, teaches `pg` to return numbers for BIGINT/NUMERIC, and says
 * which of its error codes mean what (the rest of the collector asks storage/errors.ts).
 */
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import { noteRoundTrip } from '../round-trips';

// Timestamps are ms since epoch in BIGINT columns: well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

const codeOf = (error: unknown): string => (error as { code?: unknown } | null)?.code?.toString() ?? '';

/**
 * The server cannot be reached or dropped the connection: refused or reset sockets, an admin
 * or crash shutdown (57P01, 57P02), a server still starting (57P03), too many connections
 * (53300), a connection that failed or does not exist (08006, 08003), and the messages `pg`
 * throws without a code for a client whose connection has ended.
 */
export const isPostgresConnectionError = (error: unknown): boolean => {
  const code = codeOf(error);
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === '57P01' ||
    code === '53300' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '08006' ||
    code === '08003' ||
    /Connection terminated|not queryable|timeout exceeded when trying to connect|terminating connection/i.test(
      String((error as Error | null)?.message),
    )
  );
};

/**
 * Conflicts a transaction resolves by running again: a unique-key race between two processes
 * (23505), a serialization failure (40001) or a deadlock (40P01).
 */
export const isPostgresRetryableConflict = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === '23505' || code === '40001' || code === '40P01';
};

export interface PostgresOptions {
  url: string;
  /** Schema to use (created if missing); tests give each run its own. */
  schema?: string;
  poolSize?: number;
}

/** Every query a client sends is one round trip: counted for round-trips.ts. */
function countQueries(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    noteRoundTrip();
    return query(...args);
  };
}

export function createPostgres(options: PostgresOptions) {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client whose server connection dies (restart, failover, pg_terminate_backend)
  // emits 'error' on the pool; unheard, that would crash the process. The pool drops the
  // client and the next query gets a fresh connection.
  pool.on('error', (error) => console.warn(`postgres: idle connection lost (${error.message})`));
  // The same for a client that is checked out: its query fails (and the request answers 503),
  // but the client also emits 'error', which must not take the process down.
  pool.on('connect', (client) => {
    client.on('error', (error) => console.warn(`postgres: connection lost (${error.message})`));
    countQueries(client);
  });
  const dialect = new PostgresDialect({ pool });
  return { dialect, pool };
}
