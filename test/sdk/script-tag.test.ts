// @vitest-environment happy-dom
/**
 * The script tag (dist/lt.js's entry): data-* attributes, the endpoint taken from the script's
 * own src, the README's queue stub replayed in order, both call styles of the global, and the
 * chat file fetched next to lt.js.
 */
import { describe, expect, it } from 'vitest';
import { collector, usePage, wait } from './harness';

usePage('https://site.example/pricing/teams');

// biome-ignore lint/suspicious/noExplicitAny: the global the page sees
const w = window as any;

/** The README's queue stub, pasted as a site would, run as the page's own script. */
const STUB = 'window.leadtrail=window.leadtrail||function(){(leadtrail.q=leadtrail.q||[]).push(arguments)}';
function pasteStub(): void {
  new Function('window', `with (window) { ${STUB} }`)(window);
}

/** Adds the tag and runs lt.js as the browser would (document.currentScript is the tag). */
async function loadScript(attrs: Record<string, string> = {}): Promise<HTMLScriptElement> {
  const script = document.createElement('script');
  script.setAttribute('src', 'https://collector.example.com/lt.js');
  script.setAttribute('data-site', 'pk_test');
  for (const [k, v] of Object.entries(attrs)) script.setAttribute(k, v);
  document.head.append(script);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  await import('../../sdk/script');
  Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
  return script;
}

describe('the script tag', () => {
  it('sends to the origin of its own src, with the site key of data-site', async () => {
    delete w.leadtrail;
    await loadScript();
    await wait(2000);
    expect(collector.sent.map((s) => s.url)).toEqual(['https://collector.example.com/collect']);
    expect(collector.sent[0]!.batch.site).toBe('pk_test');
  });

  it('sends to data-api when given', async () => {
    delete w.leadtrail;
    await loadScript({ 'data-api': 'https://t.site.example/lt/' });
    await wait(2000);
    expect(collector.sent.map((s) => s.url)).toEqual(['https://t.site.example/lt/collect']);
  });

  it('replays the calls the stub kept, in order, after the page view', async () => {
    delete w.leadtrail;
    pasteStub();
    w.leadtrail('identify', 'ada@analytical.example', { company: 'Analytical Engines' });
    w.leadtrail('track', 'early_call', { n: 1 });
    w.leadtrail('page', { section: 'teams' });
    await loadScript();
    await wait(2000);
    expect(collector.events().map((e) => e.name ?? e.type)).toEqual([
      'page',
      'identify',
      'early_call',
      'page',
    ]);
    expect(collector.events()[1]).toMatchObject({
      user: 'ada@analytical.example',
      traits: { company: 'Analytical Engines' },
    });
    expect(collector.events()[3]!.props).toEqual({ section: 'teams', pricing: true });
  });

  it('then answers both call styles, and shrugs at unknown methods', async () => {
    delete w.leadtrail;
    pasteStub();
    await loadScript();
    w.leadtrail('track', 'function_style');
    w.leadtrail.track('method_style');
    expect(() => w.leadtrail('nope', 1)).not.toThrow();
    expect(() => w.leadtrail()).not.toThrow();
    await wait(2000);
    expect(collector.events().map((e) => e.name ?? e.type)).toEqual([
      'page',
      'function_style',
      'method_style',
    ]);
  });

  it('reads data-pricing, data-downloads, data-forms', async () => {
    delete w.leadtrail;
    await loadScript({ 'data-pricing': '/plans*', 'data-downloads': 'epub', 'data-forms': 'off' });
    document.body.innerHTML = `<a href="/book.epub">book</a><a href="/x.pdf">pdf</a>
      <form><input type="email" name="email" value="a@b.co"></form>`;
    for (const a of document.querySelectorAll('a')) {
      a.addEventListener('click', (e) => e.preventDefault());
      a.click();
    }
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true }));
    history.pushState({}, '', '/plans/pro');
    await wait(2000);
    expect(collector.events().map((e) => [e.type, e.name, e.props])).toEqual([
      ['page', undefined, { pricing: false }],
      ['track', 'download', { url: 'https://site.example/book.epub' }],
      ['page', undefined, { pricing: true }],
    ]);
  });

  it('reads data-consent', async () => {
    delete w.leadtrail;
    pasteStub();
    await loadScript({ 'data-consent': 'required' });
    await wait(3000);
    expect(collector.sent).toEqual([]);
    w.leadtrail('consent', true);
    await wait(2000);
    expect(collector.named('page')).toHaveLength(1);
  });

  it('reads data-respect-dnt', async () => {
    delete w.leadtrail;
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    await loadScript({ 'data-respect-dnt': '' });
    await wait(3000);
    Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
    expect(collector.sent).toEqual([]);
  });

  it('reads data-allow-localhost', async () => {
    delete w.leadtrail;
    w.happyDOM.setURL('http://localhost:4000/');
    await loadScript({ 'data-allow-localhost': '' });
    await wait(2000);
    expect(collector.sent).toHaveLength(1);
  });

  it('adds lt-chat.js from next to itself', async () => {
    delete w.leadtrail;
    await loadScript();
    const chat = [...document.querySelectorAll('script')]
      .map((s) => s.src)
      .filter((src) => src.includes('chat'));
    expect(chat).toEqual(['https://collector.example.com/lt-chat.js']);
  });
});
