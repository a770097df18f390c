/**
 * Inside the writer thread: its own connection to the SQLite file, and the same group-commit
 * writer and commitGroup as the inline path. Jobs arrive as messages; each is answered when its
 * group has committed (or failed). See writer-thread.ts for the other side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../clock';
import { createDatabase, isTransientConflict, writeTransaction } from '../storage/database';
import { commitGroup } from './pipeline';
import { createWriter } from './writer';
import type { ThreadWriterData, ToWorker } from './writer-protocol';

const port = parentPort!;
const { databaseUrl, database, config } = workerData as ThreadWriterData;
const handle = createDatabase(databaseUrl, { ...database, checkpointer: false });
const writer = createWriter({
  transact: (work) => writeTransaction(handle.db, work),
  commitGroup: commitGroup({ config, dialect: handle.dialect, clock: systemClock }),
  sizeOf: (job) => job.events.length,
  isRetryable: isTransientConflict,
});

port.on('message', (message: ToWorker) => {
  if (message.kind === 'close') {
    void writer
      .close()
      .then(() => handle.close())
      .finally(() => {
        port.postMessage({ kind: 'closed' });
        port.close();
      });
    return;
  }
  writer.submit(message.job).then(
    (outcome) => port.postMessage({ kind: 'done', id: message.id, outcome }),
    (error: unknown) => {
      const { message: text, code } = error as { message?: string; code?: string };
      port.postMessage({ kind: 'failed', id: message.id, error: { message: String(text), code } });
    },
  );
});

port.postMessage({ kind: 'ready' });
