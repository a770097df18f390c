/**
 * `npm run size`: what the script tag costs a visitor. Raw, minified+gzip (the budget) and
 * brotli bytes of dist/lt.js and of the lazily loaded companion (dist/lt-*.js), each with the
 * change against the figures last committed in bench/size.json, as a change's review shows it.
 * `npm run size -- --save` writes the current figures to bench/size.json (commit it with the
 * change that made them).
 * Budget: lt.js ≤ 2,560 B min+gzip (aim 2,048); exits 1 over budget.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIST = resolve(import.meta.dirname, '..', 'dist');
const SAVED = resolve(import.meta.dirname, 'size.json');
const BUDGET = 2560;
const AIM = 2048;

if (!existsSync(join(DIST, 'lt.js'))) {
  console.error('dist/lt.js is missing: run npm run build first');
  process.exit(1);
}

/** @type {Record<string, { raw: number, gzip: number, brotli: number }>} */
const before = existsSync(SAVED) ? JSON.parse(readFileSync(SAVED, 'utf8')) : {};
/** " (-12 B)", " (+3 B)", " (±0 B)" against the saved figure; nothing when there is none. */
const change = (now, then) =>
  then === undefined ? ' (new)' : ` (${now > then ? '+' : now < then ? '-' : '±'}${Math.abs(now - then)} B)`;

const files = [
  'lt.js',
  ...readdirSync(DIST)
    .filter((f) => /^lt-.+\.js$/.test(f))
    .sort(),
];
const figures = {};
let over = false;
for (const file of files) {
  const code = readFileSync(join(DIST, file));
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const was = before[file] ?? {};
  figures[file] = { raw: code.length, gzip, brotli };
  console.log(`${file} raw: ${code.length} B${change(code.length, was.raw)}`);
  console.log(`${file} min+gzip: ${gzip} B${change(gzip, was.gzip)}`);
  console.log(`${file} brotli: ${brotli} B${change(brotli, was.brotli)}`);
  if (file === 'lt.js') {
    over = gzip > BUDGET;
    console.log(
      `${file} budget: ${gzip} / ${BUDGET} B min+gzip (aim ${AIM} B)${over ? ' — OVER BUDGET' : gzip > AIM ? ' — over the aim' : ''}`,
    );
  }
}
if (process.argv.includes('--save')) {
  writeFileSync(SAVED, `${JSON.stringify(figures, null, 2)}\n`);
  console.log('saved to bench/size.json');
}
if (over) process.exit(1);
