/**
 * A real collector with the demo site's key (pk_demo) whose allowed origins are the collector's
 * own, as in the built-in demo config. The origins must be known before the server starts, so
 * the port is picked first (a free loopback port from the OS) and passed as PORT.
 */
import { createServer } from 'node:net';
import { startCollector, type TestCollector, type TestCollectorOptions } from '../helpers/server';

export const DEMO_SITE = 'pk_demo';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startDemoCollector(options: TestCollectorOptions = {}): Promise<TestCollector> {
  // Another process may grab the port between close and listen; try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startCollector({
        ...options,
        env: { ...(options.env ?? {}), PORT: String(port) },
        file: {
          sites: [
            {
              key: DEMO_SITE,
              name: 'Demo site',
              origins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
            },
          ],
          ...(options.file ?? {}),
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}
