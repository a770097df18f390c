/**
 * PostgreSQL for several collector processes on one database. Same queries, same migrations;
 * this file only builds the pool and teaches `pg` to return numbers for BIGINT/NUMERIC.
 */
import { PostgresDialect } from 'kysely';
import pg from 'pg';

// Timestamps are ms since epoch in BIGINT columns: well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

export interface PostgresOptions {
  url: string;
  /** Schema to use (created if missing); tests give each run its own. */
  schema?: string;
  poolSize?: number;
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
  });
  const dialect = new PostgresDialect({ pool });
  return { dialect, pool };
}
