/**
 * Ruleset drafts: named, edited freely (every save is validated: a draft is always a valid
 * ruleset), previewed, and published once. A published draft is kept, read-only, as the record of
 * what was proposed.
 */
import type { Kysely } from 'kysely';
import { nanoid } from 'nanoid';
import { AppError, notFound } from '../errors';
import type { Database } from '../storage/schema';
import { parseRuleset, type Ruleset } from './core/rules';

export interface Draft {
  id: string;
  name: string;
  ruleset: Ruleset;
  base_version: number | null;
  author: string;
  created_at: number;
  updated_at: number;
  published_version: number | null;
  /** The summary of its latest preview, if one was run. */
  preview: unknown;
}

type DraftRow = Database['ruleset_drafts'];

const draftOf = (row: DraftRow): Draft => ({
  id: row.id,
  name: row.name,
  ruleset: parseRuleset(JSON.parse(row.ruleset)),
  base_version: row.base_version === null ? null : Number(row.base_version),
  author: row.author,
  created_at: Number(row.created_at),
  updated_at: Number(row.updated_at),
  published_version: row.published_version === null ? null : Number(row.published_version),
  preview: row.preview ? JSON.parse(row.preview) : null,
});

export async function createDraft(
  db: Kysely<Database>,
  input: { name: string; ruleset: Ruleset; base_version: number | null; author: string; now: number },
): Promise<Draft> {
  const row: DraftRow = {
    id: `drf_${nanoid(12)}`,
    name: input.name,
    ruleset: JSON.stringify(input.ruleset),
    base_version: input.base_version,
    author: input.author,
    created_at: input.now,
    updated_at: input.now,
    published_version: null,
    preview: null,
  };
  await db.insertInto('ruleset_drafts').values(row).execute();
  return draftOf(row);
}

export async function getDraft(db: Kysely<Database>, id: string): Promise<Draft> {
  const row = await db.selectFrom('ruleset_drafts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`draft ${id}`);
  return draftOf(row);
}

export async function listDrafts(db: Kysely<Database>): Promise<Omit<Draft, 'ruleset' | 'preview'>[]> {
  const rows = await db
    .selectFrom('ruleset_drafts')
    .select(['id', 'name', 'base_version', 'author', 'created_at', 'updated_at', 'published_version'])
    .orderBy('updated_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((row) => ({
    ...row,
    base_version: row.base_version === null ? null : Number(row.base_version),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    published_version: row.published_version === null ? null : Number(row.published_version),
  }));
}

const published = (draft: Draft) =>
  new AppError(
    409,
    'conflict',
    `draft ${draft.id} was published as v${draft.published_version}: start a new draft`,
  );

export async function saveDraft(
  db: Kysely<Database>,
  id: string,
  changes: { name?: string; ruleset: Ruleset },
  now: number,
): Promise<Draft> {
  const draft = await getDraft(db, id);
  if (draft.published_version !== null) throw published(draft);
  await db
    .updateTable('ruleset_drafts')
    .set({
      ...(changes.name ? { name: changes.name } : {}),
      ruleset: JSON.stringify(changes.ruleset),
      updated_at: now,
      // An edit makes the last preview stale.
      preview: null,
    })
    .where('id', '=', id)
    .execute();
  return getDraft(db, id);
}

export async function recordPreview(db: Kysely<Database>, id: string, summary: unknown): Promise<void> {
  await db
    .updateTable('ruleset_drafts')
    .set({ preview: JSON.stringify(summary) })
    .where('id', '=', id)
    .execute();
}

export async function markPublished(trx: Kysely<Database>, draft: Draft, version: number): Promise<void> {
  const result = await trx
    .updateTable('ruleset_drafts')
    .set({ published_version: version })
    .where('id', '=', draft.id)
    .where('published_version', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw published({ ...draft, published_version: version });
}
