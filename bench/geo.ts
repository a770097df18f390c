/**
 * The cost of the country and network lookup (collector/geo): load time, memory growth with
 * both tables loaded, and lookup time (p50/p99) over random public IPv4 and IPv6 addresses.
 * Run with `npm run bench:ingest` (it follows the ingest benchmark), or `tsx bench/geo.ts`.
 */
import { createGeoLookup, warmGeo } from '../collector/geo/lookup';

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
const t0 = performance.now();
warmGeo('full');
const loadMs = performance.now() - t0;
gc?.();
const after = process.memoryUsage();
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const lookup = createGeoLookup({ mode: 'full' });
const random = (n: number) => Math.floor(Math.random() * n);
const addresses: string[] = [];
for (let i = 0; i < 20_000; i++) {
  addresses.push(
    i % 2 === 0
      ? `${1 + random(222)}.${random(256)}.${random(256)}.${random(256)}`
      : `2${random(0x1000).toString(16).padStart(3, '0')}:${random(0x10000).toString(16)}:${random(0x10000).toString(16)}::1`,
  );
}
for (const ip of addresses.slice(0, 2000)) lookup(ip); // warm the JIT
const times: number[] = [];
let found = 0;
for (const ip of addresses) {
  const start = process.hrtime.bigint();
  const place = lookup(ip);
  times.push(Number(process.hrtime.bigint() - start) / 1000);
  if (place?.country) found++;
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!.toFixed(2);
console.log(`geo lookup: tables loaded in ${loadMs.toFixed(0)} ms (lazily, on the first public address)`);
console.log(
  `geo lookup: memory growth rss +${mb(after.rss - before.rss)} MB (heap +${mb(after.heapUsed - before.heapUsed)} MB, array buffers +${mb(after.arrayBuffers - before.arrayBuffers)} MB)${gc ? '' : ' (run with --expose-gc for settled figures)'}`,
);
console.log(
  `geo lookup: ${times.length} random addresses, p50 ${at(0.5)} µs, p99 ${at(0.99)} µs, ${((100 * found) / times.length).toFixed(0)} % with a country`,
);
