/**
 * The builds the package ships (npm test builds first): the script tag within its size budget,
 * the chat file next to it, and the ESM build with its type declarations, safe to import where
 * there is no window (server-side rendering).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dist = (file: string) => {
  const path = resolve(ROOT, 'dist', file);
  if (!existsSync(path)) throw new Error(`dist/${file} is missing: run npm run build`);
  return path;
};

describe('the builds', () => {
  it('lt.js stays within 2,560 bytes min+gzip, and npm run size says so', () => {
    const gzip = gzipSync(readFileSync(dist('lt.js')), { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(2560);
    const printed = execFileSync(process.execPath, [resolve(ROOT, 'bench/size.mjs')], { encoding: 'utf8' });
    // Each figure with its change against the figures committed in bench/size.json.
    const saved = JSON.parse(readFileSync(resolve(ROOT, 'bench/size.json'), 'utf8'));
    const delta = gzip - saved['lt.js'].gzip;
    const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
    expect(printed).toContain(`lt.js min+gzip: ${gzip} B (${sign}${Math.abs(delta)} B)\n`);
    expect(printed).toMatch(/^lt-chat\.js min\+gzip: \d+ B \([-+±]\d+ B\)$/m);
    expect(printed).toMatch(/^lt\.js brotli: \d+ B \([-+±]\d+ B\)$/m);
  });

  it('lt.js is one self-contained script: no imports, no zod, no modern syntax the target lacks', () => {
    const code = readFileSync(dist('lt.js'), 'utf8');
    expect(code).not.toMatch(/\bimport\b|\brequire\(|zod/);
    expect(code.startsWith('!function(){')).toBe(true);
    expect(readFileSync(dist('lt-chat.js'), 'utf8')).toMatch(/Tawk_API/);
  });

  it('the ESM build exports createTracker with type declarations, and does nothing without a window', async () => {
    const types = readFileSync(dist('esm/index.d.ts'), 'utf8');
    expect(types).toContain('declare function createTracker(options: TrackerOptions): Tracker;');
    expect(types).toMatch(/identify\(user: string, traits\?: Props, options\?: IdentifyOptions\): void;/);
    const { createTracker } = await import(dist('esm/index.js'));
    const tracker = createTracker({ site: 'pk_test', endpoint: 'https://collector.example.com' });
    expect(Object.keys(tracker).sort()).toEqual(['consent', 'flush', 'identify', 'page', 'reset', 'track']);
    expect(() => tracker.track('x')).not.toThrow();
  });
});
