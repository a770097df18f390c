/**
 * Group commit. Requests hand their prepared events to the writer and wait; the writer takes
 * everything that queued up while the previous transaction ran and commits it as ONE
 * transaction — one WAL append and one round of queries for many requests — then answers them
 * all. A 2xx therefore always means "committed". If a group fails, each job is retried alone
 * so one bad batch cannot take its neighbours down with it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema';
import { overloaded, type QueueBounds } from './overload';

export type Transact = <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>;

export interface WriterOptions<J, R> {
  transact: Transact;
  /** Writes a group of jobs in the given transaction; returns one result per job, in order. */
  commitGroup(trx: Kysely<Database>, jobs: J[]): Promise<R[]>;
  /** Size of a job (events), to bound a group. */
  sizeOf(job: J): number;
  /** Upper bound on events per transaction. */
  maxGroupEvents?: number;
  /**
   * Transactions in flight at once. SQLite has one writer, so 1; PostgreSQL overlaps several
   * (row locks keep them correct) to hide network round trips.
   */
  concurrency?: number;
  /** Transient conflicts (unique races between processes) are retried this many times. */
  retries?: number;
  isRetryable?: (error: unknown) => boolean;
  /** Refuse (503) rather than queue without limit; unbounded when absent. */
  bounds?: QueueBounds;
}

export interface Writer<J = unknown, R = unknown> {
  /** Where commits run: on the request thread, or in a writer thread (thread.ts). */
  readonly mode: 'inline' | 'thread';
  /** `since`: when the request handed the job over (the writer thread passes the HTTP side's time). */
  submit(job: J, since?: number): Promise<R>;
  /** Resolves once everything submitted so far is committed or failed. */
  drain(): Promise<void>;
  pending(): number;
  /** The last commit's failure, until a later commit succeeds (health checks report it). */
  lastError(): WriteFailure | null;
  /** Drains, then releases what the writer holds (the writer thread, if any). */
  close(): Promise<void>;
}

export interface WriteFailure {
  message: string;
  code: string | undefined;
  at: number;
}

interface Waiting<J, R> {
  job: J;
  resolve(result: R): void;
  reject(error: unknown): void;
  /** When it was submitted, and the timer that refuses it if it is still queued at its deadline. */
  since: number;
  deadline?: ReturnType<typeof setTimeout>;
}

export function createWriter<J, R>(options: WriterOptions<J, R>): Writer<J, R> {
  const maxGroup = options.maxGroupEvents ?? 2000;
  const retries = options.retries ?? 3;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const queue: Waiting<J, R>[] = [];
  let inFlight = 0;
  let scheduled = false;
  const idle: (() => void)[] = [];
  let failure: WriteFailure | null = null;

  async function commit(jobs: J[]): Promise<R[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const results = await options.transact((trx) => options.commitGroup(trx, jobs));
        failure = null;
        return results;
      } catch (error) {
        if (attempt >= retries || !options.isRetryable?.(error)) {
          failure = {
            message: (error as Error).message,
            code: (error as { code?: string }).code,
            at: Date.now(),
          };
          throw error;
        }
      }
    }
  }

  function takeGroup(): Waiting<J, R>[] {
    const group: Waiting<J, R>[] = [];
    let events = 0;
    while (queue.length > 0) {
      const size = options.sizeOf(queue[0]!.job);
      if (group.length > 0 && events + size > maxGroup) break;
      events += size;
      const next = queue.shift()!;
      clearTimeout(next.deadline);
      group.push(next);
    }
    return group;
  }

  async function commitGroup(group: Waiting<J, R>[]): Promise<void> {
    try {
      const results = await commit(group.map((w) => w.job));
      for (const [i, waiting] of group.entries()) waiting.resolve(results[i]!);
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      const bounds = options.bounds;
      for (const waiting of group) {
        // Retrying alone is worth it for one bad batch among good ones, not for a job that has
        // already waited past its deadline (a lock held past the busy timeout, say).
        if (bounds && Date.now() - waiting.since > bounds.maxWaitMs) {
          waiting.reject(overloaded(`waited ${bounds.maxWaitMs} ms`));
          continue;
        }
        try {
          const [result] = await commit([waiting.job]);
          waiting.resolve(result!);
        } catch (jobError) {
          waiting.reject(jobError);
        }
      }
    }
  }

  /** Starts groups while there is work and room; each finished group makes room for the next. */
  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && inFlight < concurrency) {
      const group = takeGroup();
      inFlight++;
      void commitGroup(group).finally(() => {
        inFlight--;
        if (queue.length > 0) flush();
        else if (inFlight === 0) for (const wake of idle.splice(0)) wake();
      });
    }
  }

  function drain(): Promise<void> {
    if (inFlight === 0 && queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => idle.push(resolve));
  }

  return {
    mode: 'inline',
    submit(job, since = Date.now()) {
      return new Promise<R>((resolve, reject) => {
        const bounds = options.bounds;
        if (bounds && queue.length >= bounds.maxPending) {
          reject(overloaded(`${queue.length} requests waiting`));
          return;
        }
        const left = bounds ? bounds.maxWaitMs - (Date.now() - since) : 1;
        if (bounds && left <= 0) {
          reject(overloaded(`waited ${bounds.maxWaitMs} ms`));
          return;
        }
        const waiting: Waiting<J, R> = { job, resolve, reject, since };
        if (bounds) {
          waiting.deadline = setTimeout(() => {
            const at = queue.indexOf(waiting);
            if (at < 0) return;
            queue.splice(at, 1);
            reject(overloaded(`waited ${bounds.maxWaitMs} ms`));
          }, left);
          waiting.deadline.unref?.();
        }
        queue.push(waiting);
        if (inFlight < concurrency && !scheduled) {
          scheduled = true;
          // setImmediate lets requests already parsed in this turn of the loop join the group.
          setImmediate(flush);
        }
      });
    },
    drain,
    pending: () => queue.length,
    lastError: () => failure,
    close: drain,
  };
}
