/**
 * createDatabase(url) → a Kysely instance plus the few helpers that differ by dialect.
 * `postgres://…` selects PostgreSQL; anything else is a SQLite file path.
 */
import { Kysely, PostgresAdapter, type SelectQueryBuilder, sql } from 'kysely';
import { createPostgres } from './dialects/postgres';
import { createSqlite } from './dialects/sqlite';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, for logs (a postgres URL without its password). */
  location: string;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Postgres schema (tests isolate each run in its own). */
  schema?: string;
  busyTimeoutMs?: number;
  maxPageCount?: number;
  /** SQLite: whether this connection runs the WAL checkpointer (default true). */
  checkpointer?: boolean;
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

export function createDatabase(url: string, options: CreateDatabaseOptions = {}): DatabaseHandle {
  if (isPostgresUrl(url)) {
    // `?schema=name` in the URL selects a schema (several deployments can share one database).
    const parsed = new URL(url);
    const schema = options.schema ?? parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    const { dialect } = createPostgres({ url: parsed.toString(), ...(schema ? { schema } : {}) });
    const db = new Kysely<Database>({ dialect });
    return {
      db,
      dialect: 'postgres',
      location: url.replace(/:[^:@/]+@/, ':***@'),
      close: () => db.destroy(),
    };
  }
  const { dialect, stop } = createSqlite({
    path: url,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    ...(options.maxPageCount !== undefined ? { maxPageCount: options.maxPageCount } : {}),
    ...(options.checkpointer !== undefined ? { checkpointer: options.checkpointer } : {}),
  });
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    dialect: 'sqlite',
    location: url,
    close: async () => {
      await db.destroy();
      await stop();
    },
  };
}

/**
 * Which dialect a Kysely instance (or transaction) talks to, read off the instance itself: the
 * storage helpers (and migrations, for the few DDL differences) need no dialect passed in.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema will do
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Row lock for read-modify-write of contacts, on whichever database `db` talks to. PostgreSQL
 * needs `FOR UPDATE`; SQLite has one writer at a time, so a write transaction already holds the
 * lock (and has no such syntax). Callers never need to know which one they are on.
 */
export function forUpdate<DB, TB extends keyof DB, O>(
  // biome-ignore lint/suspicious/noExplicitAny: any schema will do
  db: Kysely<any>,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db) === 'postgres' ? query.forUpdate() : query;
}

/** Case-insensitive LIKE on both databases. */
export const ilike = (column: string, pattern: string) =>
  sql<boolean>`lower(${sql.ref(column)}) like ${pattern.toLowerCase()}`;

/**
 * A write transaction. On SQLite it is `BEGIN IMMEDIATE`, taking the write lock up front so
 * that two writers never deadlock upgrading a read lock (and busy_timeout applies at BEGIN);
 * on PostgreSQL it is an ordinary READ COMMITTED transaction with row locks where needed.
 */
export async function writeTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (dialectOf(db) === 'postgres') return db.transaction().execute(work);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * After an erasure on SQLite: copy every page in the WAL into the database file and truncate
 * the WAL to zero bytes. The WAL holds pages as they were written — including the erased
 * person's rows from before the deletion, and old frames past the current ones once the WAL has
 * been reused — so secure_delete alone leaves copies there. Waits (briefly) for readers that
 * hold an older snapshot; returns whether the WAL was emptied. PostgreSQL: nothing to do here
 * (dead tuples go at the next VACUUM).
 */
export async function checkpointAfterErasure(db: Kysely<Database>, attempts = 10): Promise<boolean> {
  if (dialectOf(db) !== 'sqlite') return true;
  for (let i = 0; i < attempts; i++) {
    const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    if (Number(rows[0]?.busy ?? 1) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
