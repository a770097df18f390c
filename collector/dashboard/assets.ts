/**
 * The dashboard's static files (stylesheet, the live-feed script, the icon). Read once when the
 * routes are built; served from /dashboard/assets so the CSP can stay at 'self'.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Hono } from 'hono';

const FILES: Record<string, string> = {
  'app.css': 'text/css; charset=utf-8',
  'feed.js': 'text/javascript; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

export function assetRoutes(dir = resolve(import.meta.dirname, 'assets')) {
  const app = new Hono();
  const files = Object.entries(FILES).map(([name, type]) => ({
    name,
    type,
    body: readFileSync(resolve(dir, name)),
  }));
  for (const file of files) {
    app.get(`/${file.name}`, (c) => {
      c.header('Content-Type', file.type);
      c.header('Cache-Control', 'public, max-age=300');
      return c.body(file.body);
    });
  }
  return app;
}
