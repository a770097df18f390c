/**
 * The SDK's builds:
 *   dist/lt.js          the script tag: one IIFE, minified hard (every byte is paid by every visitor)
 *   dist/lt-chat.js     chat capture for the script tag, which lt.js fetches (kept out of lt.js's budget)
 *   dist/esm/index.js   the npm import `createTracker` (chat included), readable, with dist/esm/index.d.ts
 * `npm run size` measures the two script files.
 */
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

// ES2021: optional chaining, ?? and ||= stay native (no helpers); every browser in use runs them.
const target = 'es2021';

const minify = terser({
  ecma: 2021,
  module: false,
  toplevel: true,
  compress: {
    passes: 3,
    unsafe: true,
    unsafe_arrows: true,
    // Off: it turns `identify: (…) => …` into `identify(…){return …}`, longer.
    unsafe_methods: false,
    unsafe_comps: true,
    pure_getters: true,
    booleans_as_integers: true,
    keep_fargs: false,
  },
  mangle: { toplevel: true },
  format: { comments: false },
});

export default [
  {
    input: 'sdk/script.ts',
    output: { file: 'dist/lt.js', format: 'iife', strict: false },
    plugins: [esbuild({ target }), minify],
  },
  {
    input: 'sdk/chat/entry.ts',
    output: { file: 'dist/lt-chat.js', format: 'iife', strict: false },
    plugins: [esbuild({ target }), minify],
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/esm/index.js', format: 'es' },
    plugins: [esbuild({ target })],
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/esm/index.d.ts', format: 'es' },
    plugins: [dts({ compilerOptions: { noEmit: false } })],
  },
];
