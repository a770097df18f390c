/**
 * SIGKILL under load, repeated: SDK-style senders keep posting batches and retry whatever was
 * not acknowledged; the collector process is killed at random moments and restarted on the
 * same database. Afterwards every acknowledged event must be stored exactly once and SQLite's
 * integrity check must pass. Used by the CI test (20 cycles) and `npm run soak` (more).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { nanoid } from 'nanoid';
import { BROWSER_UA } from '../helpers/events';
import { type CollectorProcess, spawnCollector } from '../helpers/process';

export interface KillReport {
  cycles: number;
  acknowledged: number;
  stored: number;
  missing: string[];
  duplicated: number;
  integrity: string;
  sent: number;
  retried: number;
}

const SITE = 'pk_fault';

interface Pending {
  id: string;
  body: string;
  ids: string[];
}

export async function runKillCycles(
  cycles: number,
  options: { senders?: number; log?: (line: string) => void } = {},
): Promise<KillReport> {
  const dir = mkdtempSync(join(tmpdir(), 'leadtrail-kill-'));
  const databaseUrl = join(dir, 'kill.db');
  const config = {
    sites: [{ key: SITE, origins: ['https://site.example'] }],
    rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 0 },
  };
  const acknowledged = new Set<string>();
  const all = new Set<string>();
  let sent = 0;
  let retried = 0;
  let collector: CollectorProcess = await spawnCollector({ dir, databaseUrl, config });
  let running = true;

  const makeBatch = (sender: number): Pending => {
    const anon = `kill-${sender}-${nanoid(6)}`;
    const ids = Array.from({ length: 5 }, () => nanoid());
    for (const id of ids) all.add(id);
    const now = Date.now();
    const events = ids.map((id, i) =>
      i === 4 && sender % 3 === 0
        ? { id, type: 'identify', ts: now, anon, user: `${anon}@corp${sender}.com`, traits: { name: 'K' } }
        : { id, type: 'page', ts: now, anon, session: `${anon}-s`, url: `https://site.example/p${i}` },
    );
    return { id: anon, ids, body: JSON.stringify({ site: SITE, sent_at: now, events }) };
  };

  // Each sender behaves like the SDK: one batch in flight, retried until acknowledged.
  const sender = async (n: number) => {
    let pending: Pending | null = null;
    while (running || pending) {
      pending ??= makeBatch(n);
      try {
        sent++;
        const response = await fetch(`${collector.url}/collect`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
          body: pending.body,
          signal: AbortSignal.timeout(5000),
        });
        if (response.status === 202) {
          for (const id of pending.ids) acknowledged.add(id);
          pending = null;
        } else {
          retried++;
          await new Promise((r) => setTimeout(r, 50));
        }
      } catch {
        retried++;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!running && pending === null) break;
    }
  };

  const senders = Array.from({ length: options.senders ?? 8 }, (_, i) => sender(i));
  for (let cycle = 1; cycle <= cycles; cycle++) {
    await new Promise((r) => setTimeout(r, 150 + Math.random() * 350));
    await collector.kill();
    options.log?.(`cycle ${cycle}/${cycles}: killed with ${acknowledged.size} events acknowledged`);
    collector = await spawnCollector({ dir, databaseUrl, config, port: collector.port });
  }
  running = false;
  await Promise.all(senders);
  await collector.stop();

  const db = new Database(databaseUrl, { readonly: true });
  const rows = db.prepare('select id, count(*) as n from events group by site, id').all() as {
    id: string;
    n: number;
  }[];
  const integrity =
    (db.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check ?? 'unknown';
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const stored = new Set(rows.map((r) => r.id));
  return {
    cycles,
    acknowledged: acknowledged.size,
    stored: stored.size,
    missing: [...acknowledged].filter((id) => !stored.has(id)),
    duplicated: rows.filter((r) => r.n > 1).length,
    integrity,
    sent,
    retried,
  };
}
