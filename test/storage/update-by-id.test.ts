/**
 * The hot path's reusable UPDATE: each value lands in its own column whatever the order of the
 * keys, undefined leaves a column alone, null clears it, and a shape compiled once is reused
 * correctly for other rows — on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateById } from '../../collector/storage/update-by-id';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';

describe.each(TEST_DATABASES)('updateById (%s)', (db) => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startCollector({ db, workers: false });
    const row = (id: string) => ({
      id,
      site: 'pk_test',
      stage: 'lead' as const,
      first_seen: 1,
      last_seen: 1,
      stage_changed_at: 1,
      created_at: 1,
      updated_at: 1,
      name: 'Ann',
      company: 'Acme',
      traits: '{}',
      version: 0,
      engagement: 0,
      fit: 0,
      score: 0,
      verified: 0,
    });
    await collector.services.db
      .insertInto('contacts')
      .values([row('u1'), row('u2')])
      .execute();
  });
  afterAll(async () => {
    await collector?.close();
  });

  const read = (id: string) =>
    collector.services.db
      .selectFrom('contacts')
      .select(['score', 'fit', 'name', 'company', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('binds every value to its own column, for each row it is reused on', async () => {
    const trx = collector.services.db;
    await updateById(trx, 'contacts', 'u1', { score: 7, fit: 3, updated_at: 10, name: undefined });
    await updateById(trx, 'contacts', 'u2', { updated_at: 20, fit: 4, score: 9 });
    await updateById(trx, 'contacts', 'u2', { company: null, name: 'Bo' });
    expect(await read('u1')).toEqual({ score: 7, fit: 3, name: 'Ann', company: 'Acme', updated_at: 10 });
    expect(await read('u2')).toEqual({ score: 9, fit: 4, name: 'Bo', company: null, updated_at: 20 });
  });
});
