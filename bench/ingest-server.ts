/**
 * One benchmark target in its own process: `collector` (the real app on a temp database) or
 * `bare` (a Hono route that only parses the body and answers 204). Prints `listening <port>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const [mode = 'collector', db = 'sqlite', schema] = process.argv.slice(2);

if (mode === 'bare') {
  const app = new Hono();
  app.post('/collect', async (c) => {
    JSON.parse(await c.req.text());
    return c.body(null, 204);
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    console.log(`listening ${info.port}`),
  );
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  // Imported here so the bare target loads nothing of the collector.
  const { loadConfig } = await import('../collector/config');
  const { startServer } = await import('../collector/server');
  const dir = mkdtempSync(join(tmpdir(), 'leadtrail-bench-'));
  const databaseUrl =
    db === 'postgres'
      ? (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '')
      : join(dir, 'bench.db');
  const config = loadConfig({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LEADTRAIL_ADMIN_KEY: 'sk_bench_0123456789abcdef',
      LEADTRAIL_DATA_DIR: dir,
    },
    file: {
      sites: [
        {
          key: 'pk_bench',
          origins: ['https://www.example.com'],
          server_keys: ['srv_bench_0123456789abcdefghijkl'],
        },
      ],
      rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 0 },
    },
  });
  const server = await startServer(config, { database: schema ? { schema } : {}, workers: false });
  console.log(`listening ${server.port}`);
  process.on('SIGTERM', async () => {
    const { n } = await server.services.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(`stored ${n}`);
    await server.close();
    rmSync(dir, { recursive: true, force: true }); // a run leaves ~100 MB of database behind otherwise
    process.exit(0);
  });
}
