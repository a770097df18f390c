/**
 * Group commit. Requests hand their prepared events to the writer and wait; the writer takes
 * everything that queued up while the previous transaction ran and commits it as one
 * transaction — one fsync for many requests — then answers them all. A 2xx therefore always
 * means "committed". If a group fails, each job is retried alone so one bad batch cannot
 * take its neighbours down with it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';

export interface WriterJob<R> {
  run(trx: Kysely<Database>): Promise<R>;
  resolve(result: R): void;
  reject(error: unknown): void;
  size: number;
}

export type Transact = <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>;

export interface WriterOptions {
  transact: Transact;
  /** Runs once per committed group, inside the transaction, after every job (scoring). */
  afterJobs?: (trx: Kysely<Database>) => Promise<void>;
  /** Upper bound on events per transaction. */
  maxGroupEvents?: number;
  /** Transient conflicts (unique races between processes) are retried this many times. */
  retries?: number;
  isRetryable?: (error: unknown) => boolean;
}

export interface Writer {
  submit<R>(size: number, run: (trx: Kysely<Database>) => Promise<R>): Promise<R>;
  /** Resolves once everything submitted so far is committed or failed. */
  drain(): Promise<void>;
  pending(): number;
}

export function createWriter(options: WriterOptions): Writer {
  const maxGroup = options.maxGroupEvents ?? 2000;
  const retries = options.retries ?? 3;
  // biome-ignore lint/suspicious/noExplicitAny: jobs of any result type share the queue
  const queue: WriterJob<any>[] = [];
  let running = false;
  let scheduled = false;
  const idle: (() => void)[] = [];

  // biome-ignore lint/suspicious/noExplicitAny: see queue
  async function commit(jobs: WriterJob<any>[]): Promise<unknown[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await options.transact(async (trx) => {
          const results: unknown[] = [];
          for (const job of jobs) results.push(await job.run(trx));
          await options.afterJobs?.(trx);
          return results;
        });
      } catch (error) {
        if (attempt >= retries || !options.isRetryable?.(error)) throw error;
      }
    }
  }

  async function flush(): Promise<void> {
    scheduled = false;
    if (running || queue.length === 0) return;
    running = true;
    try {
      while (queue.length > 0) {
        const group = [];
        let events = 0;
        while (queue.length > 0 && (group.length === 0 || events + queue[0]!.size <= maxGroup)) {
          const job = queue.shift()!;
          events += job.size;
          group.push(job);
        }
        try {
          const results = await commit(group);
          for (const [i, job] of group.entries()) job.resolve(results[i]);
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          for (const job of group) {
            try {
              const [result] = await commit([job]);
              job.resolve(result);
            } catch (jobError) {
              job.reject(jobError);
            }
          }
        }
      }
    } finally {
      running = false;
      if (queue.length === 0) for (const wake of idle.splice(0)) wake();
    }
  }

  return {
    submit(size, run) {
      return new Promise((resolve, reject) => {
        queue.push({ run, resolve, reject, size });
        if (!running && !scheduled) {
          scheduled = true;
          // setImmediate lets requests already parsed in this turn of the loop join the group.
          setImmediate(() => void flush());
        }
      });
    },
    drain() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    pending: () => queue.length,
  };
}
