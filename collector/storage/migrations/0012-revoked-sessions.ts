/**
 * Dashboard sessions are signed cookies (no table, any process can check one). Signing out
 * must still end a session on the server, so that a copied cookie stops working: sign-out
 * records the session's id here (a hash of it) until the session would have expired anyway.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('revoked_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('revoked_sessions_expires')
    .on('revoked_sessions')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('revoked_sessions').ifExists().execute();
}
