/**
 * The demo site as the collector serves it, checked against what the simulator believes: every
 * page it visits exists with the title it sends, every page carries the real script tag, the
 * footer newsletter form and the chat script, and the gated whitepaper is a real, valid PDF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES, WHITEPAPER_PDF } from '../../collector/cli/simulate/site-map';
import { startCollector, type TestCollector } from '../helpers/server';

const STUB =
  '<script>window.leadtrail=window.leadtrail||function(){(leadtrail.q=leadtrail.q||[]).push(arguments)}</script>';
const TAG = '<script async src="/lt.js" data-site="pk_demo"></script>';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await collector?.close();
});

const get = (path: string) => fetch(`${collector.url}${path}`);

describe('the demo site', () => {
  it.each(Object.entries(PAGES))(
    'serves %s with its title, the script tag, the newsletter and the chat',
    async (_, page) => {
      const response = await get(page.path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      const escaped = page.title.replace(/&/g, '&amp;');
      expect(html).toContain(`<title>${escaped}</title>`);
      expect(html).toContain(STUB);
      expect(html).toContain(TAG);
      // The stub comes first, so calls made before lt.js loads are queued.
      expect(html.indexOf(STUB)).toBeLessThan(html.indexOf(TAG));
      expect(html).toMatch(
        /<form class="newsletter" data-demo-form="newsletter" id="newsletter"[^>]*>\s*<input type="email" name="email"/,
      );
      expect(html).toContain('<script defer src="/assets/demo.js"></script>');
    },
  );

  it('serves the shared stylesheet, script and icon', async () => {
    for (const [path, type] of [
      ['/assets/style.css', 'text/css'],
      ['/assets/demo.js', 'application/javascript'],
      ['/assets/favicon.svg', 'image/svg+xml'],
    ]) {
      const response = await get(path!);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
    }
    const js = await (await get('/assets/demo.js')).text();
    expect(js).toContain("new CustomEvent('leadtrail:chat'");
    expect(js).toContain("track('track', 'demo_requested'");
  });

  it('gates a real, small, well-formed PDF', async () => {
    const response = await get(WHITEPAPER_PDF);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(pdf.length).toBeGreaterThan(1000);
    expect(pdf.length).toBeLessThan(10_000);
    expect(pdf.startsWith('%PDF-1.')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    // The cross-reference table points at each object, byte for byte, as readers require.
    const xref = Number(pdf.match(/startxref\s+(\d+)\s+%%EOF\s*$/)?.[1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
    const [, first, count] = pdf
      .slice(xref)
      .match(/^xref\s+(\d+) (\d+)/)!
      .map(Number) as [number, number, number];
    expect(first).toBe(0);
    const entries = pdf
      .slice(xref)
      .split('\n')
      .slice(2, 2 + count);
    entries.slice(1).forEach((entry, i) => {
      const offset = Number(entry.slice(0, 10));
      expect(pdf.slice(offset).startsWith(`${i + 1} 0 obj`)).toBe(true);
    });
    expect(pdf).toMatch(/\/Type \/Catalog/);
    expect(pdf.match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(1);
    // Declared stream lengths are exact.
    for (const m of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
      const start = m.index! + m[0].length;
      expect(pdf.indexOf('endstream', start) - start).toBe(Number(m[1]));
    }
  });

  it('answers an unknown page with a 404', async () => {
    expect((await get('/no-such-page')).status).toBe(404);
  });
});
