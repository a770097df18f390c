/**
 * Inside the writer thread: its own connection to the SQLite file, and the same group-commit
 * writer and commitGroup as the inline path. Jobs arrive as messages; each is answered when its
 * group has committed (or failed). See thread.ts for the other side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../../clock';
import { AppError } from '../../errors';
import { createDatabase, writeTransaction } from '../../storage/database';
import { isTransientConflict } from '../../storage/errors';
import { commitGroup } from '../pipeline';
import type { FromWorker, JobResult, ThreadWriterData, ToWorker } from './protocol';
import { createWriter } from './writer';

const port = parentPort!;
const { databaseUrl, database, config } = workerData as ThreadWriterData;
const handle = createDatabase(databaseUrl, { ...database, checkpointer: false });
const writer = createWriter({
  transact: (work) => writeTransaction(handle.db, work),
  commitGroup: commitGroup({ config, clock: systemClock }),
  sizeOf: (job) => job.events.length,
  isRetryable: isTransientConflict,
  bounds: config.writeQueue,
});

let settled: JobResult[] = [];
const answer = (result: JobResult) => {
  // Every job of a group settles in the same turn: one message carries them all.
  if (settled.push(result) === 1) {
    setImmediate(() => {
      port.postMessage({ kind: 'results', results: settled } satisfies FromWorker);
      settled = [];
    });
  }
};

port.on('message', (message: ToWorker) => {
  if (message.kind === 'close') {
    // Closing the port lets the thread exit, which the other side waits for.
    void writer
      .close()
      .then(() => handle.close())
      .finally(() => port.close());
    return;
  }
  const { id, job, since } = message;
  writer.submit(job, since).then(
    (outcome) => answer({ id, outcome }),
    (error: unknown) => {
      const { message: text, code, status, retryAfter } = error as Partial<AppError>;
      // A client error (the queue's 503) keeps its status and Retry-After across the thread.
      const client = error instanceof AppError ? { status, retryAfter } : {};
      answer({ id, error: { message: String(text), code, ...client } });
    },
  );
});

port.postMessage({ kind: 'ready' } satisfies FromWorker);
