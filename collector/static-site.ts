/**
 * The demo site at `/`, with clean URLs: `/pricing` serves pricing.html, `/blog/` serves
 * blog/index.html. Paths are resolved inside the folder only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

function locate(root: string, path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const target = normalize(join(root, decoded));
  if (target !== root && !target.startsWith(root + sep)) return null;
  const candidates = decoded.endsWith('/')
    ? [join(target, 'index.html')]
    : [target, `${target}.html`, join(target, 'index.html')];
  for (const file of candidates) if (existsSync(file) && statSync(file).isFile()) return file;
  return null;
}

export function staticSite(dir: string) {
  const root = resolve(dir);
  const app = new Hono();
  app.get('*', (c, next) => {
    const file = locate(root, c.req.path);
    if (!file) return next();
    c.header('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    c.header('Cache-Control', 'public, max-age=60');
    return c.body(readFileSync(file));
  });
  return app;
}
