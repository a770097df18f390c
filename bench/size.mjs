/**
 * `npm run size`: what the script tag costs a visitor. Raw, minified+gzip (the budget) and
 * brotli bytes of dist/lt.js and of any lazily loaded companion (dist/lt-*.js).
 * Budget: lt.js ≤ 2,560 B min+gzip (aim 2,048); exits 1 over budget.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIST = resolve(import.meta.dirname, '..', 'dist');
const BUDGET = 2560;
const AIM = 2048;

if (!existsSync(join(DIST, 'lt.js'))) {
  console.error('dist/lt.js is missing: run npm run build first');
  process.exit(1);
}

const files = [
  'lt.js',
  ...readdirSync(DIST)
    .filter((f) => /^lt-.+\.js$/.test(f))
    .sort(),
];
let over = false;
for (const file of files) {
  const code = readFileSync(join(DIST, file));
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${file} raw: ${code.length} B`);
  console.log(`${file} min+gzip: ${gzip} B`);
  console.log(`${file} brotli: ${brotli} B`);
  if (file === 'lt.js') {
    over = gzip > BUDGET;
    console.log(
      `${file} budget: ${gzip} / ${BUDGET} B min+gzip (aim ${AIM} B)${over ? ' — OVER BUDGET' : gzip > AIM ? ' — over the aim' : ''}`,
    );
  }
}
if (over) process.exit(1);
