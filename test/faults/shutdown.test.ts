/**
 * SIGTERM under load: the collector stops accepting, commits what it already accepted, and
 * exits 0. Every event it acknowledged is in the database afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { batchOf, pageView, postBatch } from '../helpers/events';
import { spawnCollector } from '../helpers/process';
import { TEST_SITE } from '../helpers/server';

describe('graceful shutdown', () => {
  it('drains accepted events on SIGTERM and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrail-term-'));
    const databaseUrl = join(dir, 'term.db');
    const collector = await spawnCollector({
      dir,
      databaseUrl,
      config: {
        sites: [{ key: TEST_SITE, origins: ['http://localhost:1'] }],
        rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 0 },
      },
    });
    const acknowledged: string[] = [];
    let stopping = false;
    const sender = async (n: number) => {
      for (let i = 0; !stopping || i < 3; i++) {
        const events = Array.from({ length: 10 }, () => pageView(`anon-term-${n}`, 'http://localhost:1/'));
        try {
          const response = await postBatch(collector.url, batchOf(events));
          if (response.status === 202) acknowledged.push(...events.map((e) => e.id));
        } catch {
          return; // connection refused: the server has stopped listening
        }
      }
    };
    const senders = Array.from({ length: 16 }, (_, n) => sender(n));
    await new Promise((r) => setTimeout(r, 500));
    stopping = true;
    const code = await collector.stop();
    await Promise.all(senders);
    expect(code).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(50);
    const db = new Database(databaseUrl, { readonly: true });
    const stored = new Set((db.prepare('select id from events').all() as { id: string }[]).map((r) => r.id));
    db.close();
    rmSync(dir, { recursive: true, force: true });
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  }, 60_000);
});
