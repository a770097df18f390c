/**
 * `npm run bench:ingest [-- --db postgres] [--processes 2] [--seconds 10]`
 *
 * Drives the real collector's /collect with realistic beacon batches (page views, a pricing
 * view, a download, now and then an identify; visitors drawn from a pool so identity and
 * scoring do real work) and, in the same run, a bare Hono route that only parses the body.
 * Each target runs in its own process; autocannon runs here. Prints events/s, p50/p99 latency
 * and peak RSS of each, then the collector's latency when driven at 30 % of the bare route's
 * throughput, and ends with `ingest/bare ratio: X` (requests/s of /collect over the bare route).
 * Then the Segment-compatible `/v1/batch` with 100-message batches (a server library's shape,
 * sent with a server key), beside /collect in events/s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const DB = option('db', 'sqlite');
const PROCESSES = Number(option('processes', '1'));
const SECONDS = Number(option('seconds', '10'));
const CONNECTIONS = Number(option('connections', '32'));
const EVENTS_PER_BATCH = 5;
const SEGMENT_BATCH = 100;
const SEGMENT_CONNECTIONS = Number(option('segment-connections', '8'));
const VISITORS = 20_000;
const SERVER_KEY = 'srv_bench_0123456789abcdefghijkl';

interface Target {
  child: ChildProcess;
  port: number;
  output: string[];
}

function startTarget(mode: 'collector' | 'bare', schema?: string): Promise<Target> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, 'ingest-server.ts'),
      mode,
      DB,
      ...(schema ? [schema] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    },
  );
  const output: string[] = [];
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const match = /^listening (\d+)/.exec(line);
        if (match) ok({ child, port: Number(match[1]), output });
      }
    });
    child.on('exit', (code) => fail(new Error(`${mode} exited with ${code}`)));
  });
}

/** Peak resident set of a process, from the kernel's high-water mark. */
const peakRssMb = (pid: number) => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
};

let counter = 0;
const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

/** A new batch for every request: fresh event ids, a visitor from the pool, a realistic mix. */
function nextBody(): string {
  const n = counter++;
  const visitor = `v${(n * 7919) % VISITORS}`;
  const now = Date.now();
  const base = { anon: visitor, session: `${visitor}-s`, ts: now };
  const id = (i: number) => `${process.pid.toString(36)}${n.toString(36).padStart(8, '0')}${i}`;
  const events = [
    {
      ...base,
      id: id(0),
      type: 'page',
      url: 'https://www.example.com/',
      title: 'Home',
      ref: 'https://www.google.com/',
    },
    { ...base, id: id(1), type: 'page', url: 'https://www.example.com/features', title: 'Features' },
    {
      ...base,
      id: id(2),
      type: 'page',
      url: 'https://www.example.com/pricing?utm_source=linkedin&utm_medium=paid-social',
      title: 'Pricing',
      props: { pricing: true },
    },
    {
      ...base,
      id: id(3),
      type: 'track',
      name: 'download',
      props: { url: 'https://www.example.com/files/guide.pdf', ext: 'pdf' },
    },
    n % 10 === 0
      ? {
          ...base,
          id: id(4),
          type: 'identify',
          user: `${visitor}@company${n % 500}.com`,
          traits: { name: 'Bench User', title: 'VP Marketing' },
        }
      : { ...base, id: id(4), type: 'page', url: 'https://www.example.com/blog/post', title: 'Post' },
  ];
  return JSON.stringify({ site: 'pk_bench', sent_at: now, events: events.slice(0, EVENTS_PER_BATCH) });
}

let segmentCounter = 0;

/** 100 Segment messages as a server library batches them: page views, tracks, now and then an identify. */
function nextSegmentBody(): string {
  const n = segmentCounter++;
  const now = new Date().toISOString();
  const batch = Array.from({ length: SEGMENT_BATCH }, (_, i) => {
    const visitor = `sv${(n * 131 + Math.floor(i / 5)) % VISITORS}`;
    const messageId = `${process.pid.toString(36)}s${n.toString(36).padStart(8, '0')}${i}`;
    const common = {
      anonymousId: visitor,
      messageId,
      timestamp: now,
      context: { library: { name: 'bench' } },
    };
    if (i % 5 === 4 && n % 2 === 0)
      return {
        ...common,
        type: 'identify',
        userId: `${visitor}-u`,
        traits: { email: `${visitor}@company${n % 500}.com`, title: 'VP Marketing' },
      };
    if (i % 5 === 3)
      return { ...common, type: 'track', event: 'download', properties: { file: 'guide.pdf' } };
    return {
      ...common,
      type: 'page',
      properties: { url: `https://www.example.com/p${i % 5}`, title: 'Page' },
    };
  });
  return JSON.stringify({ batch, sentAt: now });
}

type Workload = 'collect' | 'segment';

const WORKLOADS = {
  collect: {
    path: '/collect',
    eventsPerRequest: EVENTS_PER_BATCH,
    connections: CONNECTIONS,
    headers: { 'content-type': 'text/plain', 'user-agent': UA, origin: 'https://www.example.com' },
    body: nextBody,
  },
  segment: {
    path: '/v1/batch',
    eventsPerRequest: SEGMENT_BATCH,
    connections: SEGMENT_CONNECTIONS,
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${SERVER_KEY}:`).toString('base64')}`,
    },
    body: nextSegmentBody,
  },
} satisfies Record<Workload, unknown>;

/** Drives the targets for `seconds`, flat out or (with `rate`) at that many requests/s overall. */
async function load(ports: number[], seconds = SECONDS, rate?: number, workload: Workload = 'collect') {
  const w = WORKLOADS[workload];
  const runs = ports.map((port) =>
    autocannon({
      url: `http://127.0.0.1:${port}${w.path}`,
      method: 'POST',
      connections: Math.max(1, Math.floor(w.connections / ports.length)),
      duration: seconds,
      ...(rate ? { overallRate: Math.max(1, Math.round(rate / ports.length)) } : {}),
      headers: w.headers,
      requests: [{ setupRequest: (request) => ({ ...request, body: w.body() }) }],
    }),
  );
  const results = await Promise.all(runs);
  const requests = results.reduce((sum, r) => sum + r.requests.average, 0);
  const non2xx = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  const p50 = Math.max(...results.map((r) => r.latency.p50));
  const p99 = Math.max(...results.map((r) => r.latency.p99));
  return { requests, non2xx, p50, p99 };
}

async function measure(
  label: string,
  mode: 'collector' | 'bare',
  processes: number,
  rate?: number,
  workload: Workload = 'collect',
) {
  const schemas: { name: string; drop: () => Promise<void> }[] = [];
  if (mode === 'collector' && DB === 'postgres') {
    const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('--db postgres needs TEST_DATABASE_URL or BENCH_DATABASE_URL');
    const name = `lt_bench_${Date.now().toString(36)}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${name}`);
    await client.end();
    schemas.push({
      name,
      drop: async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop schema ${name} cascade`);
        await c.end();
      },
    });
  }
  const targets: Target[] = [];
  // Start one first so migrations run once, then the rest.
  targets.push(await startTarget(mode, schemas[0]?.name));
  for (let i = 1; i < processes; i++) targets.push(await startTarget(mode, schemas[0]?.name));
  const ports = targets.map((t) => t.port);
  await load(ports, 2, rate, workload).catch(() => undefined); // warm-up: JIT, caches, the first WAL pages
  const result = await load(ports, SECONDS, rate, workload);
  const rss = targets.map((t) => peakRssMb(t.child.pid!));
  for (const target of targets) {
    const exited = new Promise((ok) => target.child.on('exit', ok));
    target.child.kill('SIGTERM');
    await exited;
  }
  for (const s of schemas) await s.drop();
  const stored = targets.map((t) => t.output.find((l) => l.startsWith('stored'))).filter(Boolean);
  console.log(
    `${label.padEnd(34)} ${result.requests.toFixed(0).padStart(7)} req/s  ${(result.requests * WORKLOADS[workload].eventsPerRequest).toFixed(0).padStart(7)} events/s  p50 ${result.p50} ms  p99 ${result.p99} ms  peak RSS ${rss.map((r) => r.toFixed(0)).join('+')} MB  non-2xx ${result.non2xx}${stored.length ? `  (${stored.join(', ')})` : ''}`,
  );
  return result;
}

console.log(
  `ingest benchmark: ${EVENTS_PER_BATCH} events/batch, ${CONNECTIONS} connections, ${SECONDS}s per target, db=${DB}, processes=${PROCESSES}`,
);
const bare = await measure('bare Hono route (parse, 204)', 'bare', 1);
const collector = await measure(
  `/collect (${DB}, ${PROCESSES} process${PROCESSES > 1 ? 'es' : ''})`,
  'collector',
  PROCESSES,
);
// Latency "at that load": the collector driven at 30 % of the bare route's throughput, the
// ratio it must sustain, rather than flat out (where latency only measures the queue).
const atRequired = await measure(
  `/collect at 0.3 × bare (${Math.round(bare.requests * 0.3)} req/s)`,
  'collector',
  PROCESSES,
  bare.requests * 0.3,
);
console.log(`at 0.3 × bare: p50 ${atRequired.p50} ms, p99 ${atRequired.p99} ms`);
console.log(`ingest/bare ratio: ${(collector.requests / bare.requests).toFixed(2)}`);
const segment = await measure(
  `/v1/batch, ${SEGMENT_BATCH}-message batches (${SEGMENT_CONNECTIONS} conn.)`,
  'collector',
  PROCESSES,
  undefined,
  'segment',
);
console.log(
  `events/s: /collect ${(collector.requests * EVENTS_PER_BATCH).toFixed(0)}, /v1/batch ${(segment.requests * SEGMENT_BATCH).toFixed(0)}`,
);
