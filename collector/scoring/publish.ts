/**
 * Publishing: a draft (or, for a rollback, an old version) becomes the next version and live in
 * one transaction that also writes the audit log; then every contact is re-scored from the log
 * in the background, in the small transactions of `rescoreAll`, so ingestion keeps flowing.
 * Ingestion itself switches at once: each group commit reads the live version after locking its
 * contacts (live-rules.ts). Stage changes the rescore causes are recorded with the new version and
 * the publisher as actor; only forward moves into MQL or SQL are handed to the outbox.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import { AppError } from '../errors';
import type { Services } from '../services';
import { writeTransaction } from '../storage/database';
import { isTransientConflict } from '../storage/errors';
import type { Database, RulesetLogTable } from '../storage/schema';
import type { Ruleset } from './core/rules';
import { runScenarios, scenarioFailures } from './core/scenarios';
import { type Draft, markPublished } from './drafts';
import { rescoreAll } from './rescore';
import { addLiveVersion, getVersion } from './versions';

export interface LogEntry {
  id: number;
  action: string;
  version: number;
  from_version: number | null;
  draft_id: string | null;
  actor: string;
  note: string;
  at: number;
  summary: unknown;
  rescore: { status: string; done: number; total: number; finished_at: number | null };
}

/** Moves a publish may notify about: forward into MQL or SQL. */
const NOTIFIED = new Set(['mql', 'sql']);

export interface Rescorer {
  /** Starts re-scoring for a log entry, stopping a run for an older publish first. */
  start(logId: number, actor: string): void;
  /** Resolves when no rescore is running (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createRescorer(services: Pick<Services, 'db' | 'config' | 'clock' | 'rules'>): Rescorer {
  const { db, clock } = services;
  let running: Promise<void> = Promise.resolve();
  let cancel: (() => void) | null = null;
  let closed = false;

  const progress = (logId: number, fields: Updateable<RulesetLogTable>) =>
    db.updateTable('ruleset_log').set(fields).where('id', '=', logId).execute();

  async function run(logId: number, actor: string, stopped: () => boolean): Promise<void> {
    try {
      const report = await rescoreAll(services, {
        restart: true,
        actor,
        notify: (t) => NOTIFIED.has(t.to_stage),
        shouldStop: stopped,
        onStart: ({ total }) => void progress(logId, { rescore_total: total }),
        onBatch: ({ done }) => void progress(logId, { rescore_done: done }),
      });
      await progress(logId, {
        rescore_status: report.complete ? 'done' : 'stopped',
        rescore_done: report.contacts,
        rescore_finished_at: clock(),
      });
    } catch (error) {
      console.error('rescore after publish failed', error);
      await progress(logId, { rescore_status: 'failed', rescore_finished_at: clock() }).catch(() => {});
    }
  }

  return {
    start(logId, actor) {
      cancel?.();
      let stop = false;
      cancel = () => {
        stop = true;
      };
      const previous = running;
      running = previous.then(() => (closed || stop ? undefined : run(logId, actor, () => stop || closed)));
    },
    idle: () => running,
    async stop() {
      closed = true;
      cancel?.();
      await running;
    },
  };
}

export interface PublishInput {
  rules: Ruleset;
  actor: string;
  note: string;
  action: 'publish' | 'rollback';
  draft?: Draft;
  summary: unknown;
}

/** Refuses a ruleset whose scenarios fail, naming them (409). */
export function checkScenarios(rules: Ruleset): void {
  const failures = scenarioFailures(runScenarios(rules));
  if (failures) throw new AppError(409, 'conflict', `not published: ${failures}`, 'scenarios');
}

export async function publishRuleset(
  services: Pick<Services, 'db' | 'clock'> & { rescorer: Rescorer },
  input: PublishInput,
): Promise<LogEntry> {
  checkScenarios(input.rules);
  const now = services.clock();
  let entry: LogEntry;
  try {
    entry = await writeTransaction(services.db, async (trx) => {
      const { version, parent } = await addLiveVersion(trx, input.rules, {
        author: input.actor,
        note: input.note,
        now,
      });
      if (input.draft) await markPublished(trx, input.draft, version);
      const row = await trx
        .insertInto('ruleset_log')
        .values({
          action: input.action,
          version,
          from_version: parent,
          draft_id: input.draft?.id ?? null,
          actor: input.actor,
          note: input.note,
          at: now,
          summary: input.summary === undefined ? null : JSON.stringify(input.summary),
          rescore_status: 'running',
          rescore_finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return entryOf(row);
    });
  } catch (error) {
    if (isTransientConflict(error)) {
      throw new AppError(409, 'conflict', 'another version was published at the same moment: try again');
    }
    throw error;
  }
  services.rescorer.start(entry.id, input.actor);
  return entry;
}

/** Rollback: an old version's rules, published again as a new version. */
export async function rulesOfVersion(db: Kysely<Database>, version: number): Promise<Ruleset> {
  const stored = await getVersion(db, version);
  if (!stored) throw new AppError(404, 'not_found', `ruleset version ${version} not found`);
  return stored.ruleset;
}

const entryOf = (row: Selectable<RulesetLogTable>): LogEntry => ({
  id: Number(row.id),
  action: row.action,
  version: Number(row.version),
  from_version: row.from_version === null ? null : Number(row.from_version),
  draft_id: row.draft_id,
  actor: row.actor,
  note: row.note,
  at: Number(row.at),
  summary: row.summary ? JSON.parse(row.summary) : null,
  rescore: {
    status: row.rescore_status,
    done: Number(row.rescore_done),
    total: Number(row.rescore_total),
    finished_at: row.rescore_finished_at === null ? null : Number(row.rescore_finished_at),
  },
});

export async function readLog(db: Kysely<Database>, limit = 100): Promise<LogEntry[]> {
  const rows = await db.selectFrom('ruleset_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(entryOf);
}
