/**
 * A normal beacon's latency while hostile strings arrive on both APIs: long runs of dots that made
 * the old email pattern backtrack for seconds inside the group commit. Prints the figures (quiet
 * and under load); the only assertion on time is a generous one. In `faults`, one file at a time,
 * so no other suite shares the cores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchOf, identifyEvent, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_SITE, type TestCollector } from '../helpers/server';

const basic = `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`;
/** A string the old email pattern needed seconds for: dots it could split a thousand ways. */
const backtracker = (bytes: number) => `a@${'b.'.repeat(Math.floor(bytes / 2))} `;

describe('a normal beacon while hostile strings arrive', () => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector();
  });
  afterAll(() => server.close());

  const beacon = async (i: number) => {
    const started = performance.now();
    const response = await postBatch(server.url, batchOf([pageView(`calm-${i}`, 'https://x.io/')]));
    expect(response.status).toBe(202);
    return performance.now() - started;
  };
  const percentile = (values: number[], p: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

  it('answers in about its usual time', async () => {
    for (let i = 0; i < 5; i++) await beacon(i); // warm up
    const quiet: number[] = [];
    for (let i = 0; i < 30; i++) quiet.push(await beacon(100 + i));

    let hostileSent = 0;
    let stop = false;
    const hostile = async (worker: number) => {
      while (!stop) {
        const n = hostileSent++;
        const body = {
          batch: [{ type: 'track', event: 'x', userId: backtracker(40_000), messageId: `h${worker}-${n}` }],
        };
        await fetch(`${server.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basic },
          body: JSON.stringify(body),
        }).then((r) => r.arrayBuffer());
        await postBatch(
          server.url,
          batchOf([identifyEvent(`hostile-${worker}-${n}`, backtracker(40_000))]),
        ).then((r) => r.arrayBuffer());
      }
    };
    const workers = [0, 1, 2, 3].map(hostile);
    const loaded: number[] = [];
    try {
      for (let i = 0; i < 30; i++) loaded.push(await beacon(200 + i));
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    const figures = {
      quiet_p50_ms: percentile(quiet, 0.5).toFixed(1),
      quiet_max_ms: Math.max(...quiet).toFixed(1),
      hostile_p50_ms: percentile(loaded, 0.5).toFixed(1),
      hostile_max_ms: Math.max(...loaded).toFixed(1),
      hostile_requests: hostileSent * 2,
    };
    console.log('normal beacon latency, quiet vs. under hostile strings:', JSON.stringify(figures));
    expect(hostileSent).toBeGreaterThan(10);
    // Generous: before the bounds, each hostile string held the group commit for about six seconds.
    expect(Math.max(...loaded)).toBeLessThan(3000);
  });
});
