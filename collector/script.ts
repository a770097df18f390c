/**
 * `GET /lt.js`: the built script-tag bundle. Read once at start; served with a content ETag
 * so browsers revalidate cheaply, and a short max-age so a new release reaches sites within
 * the hour (the URL has no version to bust).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Hono } from 'hono';

export interface ScriptFile {
  body: string;
  etag: string;
}

export function loadScript(path: string): ScriptFile | null {
  if (!existsSync(path)) return null;
  const body = readFileSync(path, 'utf8');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

export function scriptRoutes(scripts: Record<string, ScriptFile | null>) {
  const app = new Hono();
  for (const [name, file] of Object.entries(scripts)) {
    app.get(`/${name}`, (c) => {
      if (!file)
        return c.json(
          { error: { code: 'not_found', message: `${name} is not built: run npm run build` } },
          404,
        );
      c.header('Cache-Control', 'public, max-age=3600, stale-while-revalidate=86400');
      c.header('ETag', file.etag);
      c.header('Access-Control-Allow-Origin', '*');
      if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
      c.header('Content-Type', 'application/javascript; charset=utf-8');
      return c.body(file.body);
    });
  }
  return app;
}
