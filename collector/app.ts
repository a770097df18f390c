/**
 * createApp(services): the Hono app. No I/O on import and none here beyond reading the built
 * script, so tests can build apps freely and call `app.request()`.
 */
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { apiRoutes } from './api';
import { requireKey } from './auth';
import { limitBody } from './body-limit';
import { dashboardRoutes } from './dashboard';
import { onError } from './errors';
import { healthRoutes } from './health';
import { collectRoutes } from './ingest/routes';
import { segmentRoutes } from './ingest/segment/routes';
import { throttleFailedKeys } from './key-throttle';
import { loadScript, scriptRoutes } from './script';
import type { Services } from './services';
import { staticSite } from './static-site';

export interface AppOptions {
  /** Folder with the built SDK (lt.js, lt-chat.js). */
  distDir?: string;
  /** Folder served at `/` (the demo site). */
  siteDir?: string;
}

export const ROOT = resolve(import.meta.dirname, '..');

export function createApp(services: Services, options: AppOptions = {}) {
  const distDir = options.distDir ?? resolve(ROOT, 'dist');
  const siteDir = options.siteDir ?? resolve(ROOT, 'demo-site');
  const app = new Hono();
  app.onError(onError);
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  // Before any route: every body is read under a limit, whoever sends it.
  app.use('*', limitBody());
  app.route('/', healthRoutes(services));
  app.route(
    '/',
    scriptRoutes({
      'lt.js': loadScript(resolve(distDir, 'lt.js')),
      // Chat capture, fetched by lt.js (kept out of its size budget).
      'lt-chat.js': loadScript(resolve(distDir, 'lt-chat.js')),
    }),
  );
  app.route('/', collectRoutes(services));
  app.route('/', segmentRoutes(services));

  const api = new Hono();
  api.use('*', throttleFailedKeys(services));
  api.use('*', requireKey(services.config, 'read'));
  api.route('/', apiRoutes(services));
  app.route('/api', api);

  app.route('/dashboard', dashboardRoutes(services));
  app.route('/', staticSite(siteDir));
  return app;
}

export type App = ReturnType<typeof createApp>;
