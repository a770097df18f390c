/**
 * Server-side sign-out for stateless session cookies: a revoked session's id (a hash of its
 * per-session token) is kept in the database until the session's own expiry, and the gate
 * refuses it. In the database, not in memory, so a sign-out on one process holds on all of them.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import type { Session } from './session';

const sessionId = (session: Pick<Session, 'csrf'>) =>
  createHash('sha256').update(`session\0${session.csrf}`).digest('base64url');

export async function revokeSession(
  db: Kysely<Database>,
  session: Pick<Session, 'csrf' | 'expires'>,
  now: number,
): Promise<void> {
  // Rows of sessions that have expired on their own are no longer needed by anyone.
  await db.deleteFrom('revoked_sessions').where('expires_at', '<=', now).execute();
  await db
    .insertInto('revoked_sessions')
    .values({ id: sessionId(session), expires_at: session.expires })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function isRevoked(db: Kysely<Database>, session: Pick<Session, 'csrf'>): Promise<boolean> {
  const row = await db
    .selectFrom('revoked_sessions')
    .select('id')
    .where('id', '=', sessionId(session))
    .executeTakeFirst();
  return row !== undefined;
}
