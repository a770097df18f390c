import { defineConfig } from 'vitest/config';

// Two projects. `main`: unit, integration and browser suites, two files at a time; they start
// real servers on loopback ports, hence the long timeouts. `faults`: suites that kill processes,
// hold locks and measure latency under a burst; they run one file at a time, after `main`
// (see the `test` script), so no other suite competes with them for the machine's two cores.
const shared = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks',
} as const;

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'main',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/faults/**', '**/node_modules/**'],
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: { ...shared, name: 'faults', include: ['test/faults/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
