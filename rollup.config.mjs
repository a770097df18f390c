import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

export default [
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/lt.js', format: 'iife' },
    plugins: [esbuild({ target: 'es2017' }), terser()],
  },
];
