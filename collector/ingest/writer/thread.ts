/**
 * The group commit in a thread of its own, for SQLite files. better-sqlite3 is synchronous, so
 * on the request thread every transaction stops HTTP parsing, validation and enrichment until it
 * commits; in the writer thread it runs beside them, on another core. The thread runs the very
 * same writer and commitGroup as the inline path (worker.ts), on its own connection;
 * this side forwards each request's job and settles its promise when the thread reports the
 * commit — so a 2xx still means "on disk".
 */
import { Worker } from 'node:worker_threads';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode } from '../../errors';
import type { IngestJob, JobOutcome } from '../pipeline';
import { overloaded } from './overload';
import type { FromWorker, ThreadError, ThreadWriterData, ToWorker } from './protocol';
import type { WriteFailure, Writer } from './writer';

interface Waiting {
  resolve(outcome: JobOutcome): void;
  reject(error: unknown): void;
}

/** A commit error as the thread reported it; `code` (SQLITE_BUSY, SQLITE_FULL, …) survives. */
const commitError = (error: ThreadError): Error =>
  error.status !== undefined
    ? new AppError(
        error.status as ContentfulStatusCode,
        error.code as ErrorCode,
        error.message,
        undefined,
        error.retryAfter,
      )
    : Object.assign(new Error(error.message), { code: error.code });

/**
 * The writer is TypeScript, like the rest of the collector: the thread first registers the same
 * loader (tsx) that runs this one, then imports it.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.loader).then(({ register }) => { register(); return import(workerData.entry); });
`;

/** Starts a writer thread and resolves once its connection is open. */
export function spawnWriterThread(data: ThreadWriterData): Promise<Worker> {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: {
      ...data,
      loader: import.meta.resolve('tsx/esm/api'),
      entry: new URL('./worker.ts', import.meta.url).href,
    },
  });
  return new Promise((resolve, reject) => {
    const failed = (error: unknown) => reject(error);
    worker.once('error', failed);
    worker.once('exit', (code) => reject(new Error(`writer thread exited during start (${code})`)));
    worker.once('message', (message: FromWorker) => {
      if (message.kind !== 'ready') return;
      worker.off('error', failed);
      worker.removeAllListeners('exit');
      resolve(worker);
    });
  });
}

export interface ThreadWriterOptions {
  /** How a thread is started (tests wrap it to reach the thread, e.g. to crash it). */
  spawn?: (data: ThreadWriterData) => Promise<Worker>;
}

export async function createThreadWriter(
  data: ThreadWriterData,
  options: ThreadWriterOptions = {},
): Promise<Writer<IngestJob, JobOutcome>> {
  const spawn = options.spawn ?? spawnWriterThread;
  const waiting = new Map<number, Waiting>();
  const idle: (() => void)[] = [];
  let nextId = 0;
  let failure: WriteFailure | null = null;
  let worker: Worker | null = null;
  let starting: Promise<Worker> | null = null;
  let closing: Promise<void> | null = null;

  const settled = () => {
    if (waiting.size === 0) for (const wake of idle.splice(0)) wake();
  };

  function attach(thread: Worker): Worker {
    thread.unref(); // the HTTP server keeps the process alive, not the writer
    thread.on('message', (message: FromWorker) => {
      if (message.kind !== 'results') return;
      for (const result of message.results) {
        const job = waiting.get(result.id);
        if (!job) continue;
        waiting.delete(result.id);
        if ('outcome' in result) {
          failure = null;
          job.resolve(result.outcome);
        } else {
          // A refusal (the queue's 503) says nothing about storage's health.
          if (result.error.status === undefined)
            failure = { message: result.error.message, code: result.error.code, at: Date.now() };
          job.reject(commitError(result.error));
        }
      }
      settled();
    });
    // A thread that dies (it should not) fails what it held — none of it was acknowledged, so
    // clients retry — and the next job starts a new one.
    thread.on('error', (error) => console.error('writer thread failed', error));
    thread.on('exit', () => {
      if (worker === thread) worker = null;
      const error = Object.assign(new Error('the writer thread stopped; retry'), { code: 'WRITER_STOPPED' });
      if (!closing) failure = { message: error.message, code: error.code, at: Date.now() };
      for (const job of waiting.values()) job.reject(error);
      waiting.clear();
      settled();
    });
    return thread;
  }

  async function thread(): Promise<Worker> {
    if (worker) return worker;
    starting ??= spawn(data).then(attach);
    try {
      worker = await starting;
      return worker;
    } finally {
      starting = null;
    }
  }

  await thread();

  function drain(): Promise<void> {
    if (waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => idle.push(resolve));
  }

  return {
    mode: 'thread',
    async submit(job) {
      // Bounded on this side too: what the thread has not answered yet is held here.
      const { maxPending } = data.config.writeQueue;
      if (waiting.size >= maxPending) throw overloaded(`${waiting.size} requests waiting`);
      const since = Date.now();
      const target = await thread();
      const id = nextId++;
      return new Promise<JobOutcome>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        target.postMessage({ kind: 'job', id, job, since } satisfies ToWorker);
      });
    },
    drain,
    pending: () => waiting.size,
    lastError: () => failure,
    close() {
      closing ??= (async () => {
        await drain();
        const current = worker;
        if (!current) return;
        current.ref(); // keep the process up until the thread has closed its connection
        await new Promise<void>((resolve) => {
          current.once('exit', () => resolve());
          current.postMessage({ kind: 'close' } satisfies ToWorker);
          setTimeout(() => void current.terminate(), 5000).unref();
        });
      })();
      return closing;
    },
  };
}
