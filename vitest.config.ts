import { defineConfig } from 'vitest/config';

// One runner for every suite. Unit tests run in node (SDK tests opt into happy-dom per file);
// integration and browser tests start real servers on loopback ports, hence the longer timeouts.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
