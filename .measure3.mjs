import { rollup } from 'rollup';
import { gzipSync } from 'node:zlib';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
const variants = {
  base: [{ target: 'es2020' }, { unsafe_methods: true }],
  es2021: [{ target: 'es2021' }, { unsafe_methods: true }],
  es2021_nomethods: [{ target: 'es2021' }, { unsafe_methods: false }],
  es2022_nomethods: [{ target: 'es2022' }, { unsafe_methods: false }],
};
for (const [k, [eo, co]] of Object.entries(variants)) {
  const b = await rollup({ input: 'sdk/script.ts', plugins: [esbuild(eo), terser({ ecma: 2020, module: false, toplevel: true, compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_comps: true, pure_getters: true, booleans_as_integers: true, keep_fargs: false, ...co }, mangle: { toplevel: true }, format: { comments: false } })], onwarn() {} });
  const { output } = await b.generate({ format: 'iife', strict: false });
  console.log(k, output[0].code.length, gzipSync(output[0].code, { level: 9 }).length);
}
