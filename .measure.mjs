// quick size probe: bundle sdk/script.ts with rollup+terser as in rollup.config.mjs, print gzip
import { rollup } from 'rollup';
import { gzipSync } from 'node:zlib';
import config from '/work/main/rollup.config.mjs';
const c = config[0];
const input = process.argv[2] || c.input;
const b = await rollup({ input, plugins: c.plugins, onwarn() {} });
const { output } = await b.generate({ format: 'iife', strict: false });
const code = output[0].code;
console.log(input, 'raw', code.length, 'gz', gzipSync(code, { level: 9 }).length);
if (process.argv[3]) console.log(code);
