/**
 * A burst of 5,000 requests in 10 s from one IP: that IP gets 429s with Retry-After, while
 * another IP's latency stays within 2× of what it was without the burst. Two loopback source
 * addresses (127.0.0.1 and 127.0.0.2) stand for the two clients.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_UA, batchOf, pageView } from '../helpers/events';
import { spawnCollector } from '../helpers/process';
import { TEST_SITE } from '../helpers/server';

function post(port: number, agent: Agent, localAddress: string): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(batchOf([pageView(`anon-${localAddress}`, 'http://localhost:1/')]));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/collect',
        method: 'POST',
        agent,
        localAddress,
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const BURST_CLIENT = join(import.meta.dirname, 'burst-client.mjs');

const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
};

/** `count` requests from one source address, `concurrency` at a time, spread over `seconds`. */
async function drive(
  port: number,
  localAddress: string,
  count: number,
  concurrency: number,
  seconds: number,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, localAddress });
  const results: { status: number; ms: number }[] = [];
  const deadline = performance.now() + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      // Pace the requests evenly over the window.
      const target = deadline - seconds * 1000 + (i / count) * seconds * 1000;
      const wait = target - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      results.push(await post(port, agent, localAddress));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return results;
}

describe('a burst from one IP', () => {
  it('gets 429s while another IP keeps its normal latency', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrail-burst-'));
    const collector = await spawnCollector({
      dir,
      databaseUrl: join(dir, 'burst.db'),
      config: {
        sites: [{ key: TEST_SITE, origins: ['http://localhost:1'] }],
        rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 600 },
      },
    });
    try {
      await drive(collector.port, '127.0.0.2', 50, 2, 1); // warm-up
      // Latency on a shared two-core machine is noisy: a round passes when the quiet IP's p99
      // under the burst is within 2× of its p99 without it; up to three rounds, each from fresh
      // addresses, and one must pass. A collector that let the burst through fails them all.
      const rounds: string[] = [];
      for (let round = 1; round <= 3; round++) {
        const normal = await drive(collector.port, `127.0.1.${round}`, 300, 2, 6);
        expect(normal.every((r) => r.status === 202)).toBe(true);

        // The burst comes from another process, as it would from another machine: its work must
        // not slow down the measuring client's own event loop.
        const burstRun = new Promise<Record<string, number>>((resolveBurst, rejectBurst) => {
          execFile(
            process.execPath,
            [BURST_CLIENT, String(collector.port), `127.0.3.${round}`, '5000', '32', '10'],
            { timeout: 60_000 },
            (error, stdout) =>
              error ? rejectBurst(error) : resolveBurst(JSON.parse(stdout) as Record<string, number>),
          );
        });
        const [burst, during] = await Promise.all([
          burstRun,
          drive(collector.port, `127.0.2.${round}`, 500, 2, 10),
        ]);
        const sent = Object.values(burst).reduce((sum, n) => sum + n, 0);
        expect(sent).toBe(5000);
        expect(burst['429'] ?? 0).toBeGreaterThan(4000);
        expect((burst['202'] ?? 0) + (burst['429'] ?? 0)).toBe(5000);
        expect(during.every((r) => r.status === 202)).toBe(true);

        const baseline = p99(normal.map((r) => r.ms));
        const underBurst = p99(during.map((r) => r.ms));
        rounds.push(
          `round ${round}: ${burst['429']} of 5000 limited; other IP p99 ${underBurst.toFixed(1)} ms (normally ${baseline.toFixed(1)} ms)`,
        );
        console.log(`burst ${rounds.at(-1)}`);
        // A 10 ms floor keeps a single GC pause on an idle loopback from deciding a round.
        if (underBurst <= 2 * Math.max(baseline, 10)) break;
        if (round === 3)
          expect.fail(`the other IP's p99 more than doubled in every round:\n${rounds.join('\n')}`);
      }
    } finally {
      await collector.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
