/**
 * What a database error means, whichever database raised it. The codes themselves live with
 * their dialect (dialects/sqlite.ts, dialects/postgres.ts); the HTTP layer, health check and
 * writer ask these questions instead, so none of them knows which database is underneath.
 */
import { isPostgresConnectionError, isPostgresRetryableConflict } from './dialects/postgres';
import { isSqliteBusy, isSqliteFull, isSqliteIoError, isSqliteUniqueConflict } from './dialects/sqlite';

/** Another writer holds the lock longer than we wait for it. */
export const isBusy = (error: unknown): boolean => isSqliteBusy(error);

/** No room left for the data (the disk, or the configured size limit). */
export const isDiskFull = (error: unknown): boolean => isSqliteFull(error);

/** The operating system failed a read or write of the database file. */
export const isIoFailure = (error: unknown): boolean => isSqliteIoError(error);

/** The database server is unreachable or dropped the connection. */
export const isConnectionLost = (error: unknown): boolean => isPostgresConnectionError(error);

/** Any of the above: "try again later", not a bug. */
export const isStorageUnavailable = (error: unknown): boolean =>
  isBusy(error) || isDiskFull(error) || isIoFailure(error) || isConnectionLost(error);

/**
 * Conflicts a write transaction resolves by running again: a unique-key race between two
 * processes, serialization failures and deadlocks.
 */
export const isTransientConflict = (error: unknown): boolean =>
  isSqliteUniqueConflict(error) || isPostgresRetryableConflict(error);
