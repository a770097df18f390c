// @vitest-environment happy-dom
/**
 * Privacy: Do Not Track and Global Privacy Control with data-respect-dnt, consent required
 * (nothing stored, nothing sent until consent(true)), consent refused (and remembered), reset,
 * development pages, and automated browsers flagged on their events.
 */
import { describe, expect, it } from 'vitest';
import { collector, reload, setURL, stored, tracker, usePage, wait } from './harness';

usePage('https://site.example/');

/** After a refusal, the refusal is all that is kept (and an empty queue). */
const onlyTheRefusal = () => {
  expect({ ...localStorage }).toEqual({ _lt: '{"k":0}', _lt_q: '[]' });
  expect(document.cookie).toBe('');
};

describe('Do Not Track and Global Privacy Control', () => {
  it('send nothing and store nothing with respectDnt', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    const t = await tracker({ respectDnt: true });
    t.track('x');
    t.identify('a@b.co');
    t.flush();
    await wait(5000);
    expect(collector.sent).toEqual([]);
    expect(localStorage.length).toBe(0);
    expect(document.cookie).toBe('');
    Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
  });

  it('GPC counts as well', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    await tracker({ respectDnt: true });
    await wait(5000);
    expect(collector.sent).toEqual([]);
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true });
  });

  it('are ignored without respectDnt (the site decides)', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    await tracker();
    await wait(2000);
    expect(collector.sent).toHaveLength(1);
    Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
  });
});

describe('consent required', () => {
  it('stores and sends nothing until consent(true), then starts with this page', async () => {
    const t = await tracker({ consent: 'required' });
    t.track('before_consent');
    t.identify('early@b.co');
    await wait(5000);
    expect(collector.sent).toEqual([]);
    expect(localStorage.length).toBe(0);
    expect(document.cookie).toBe('');

    t.consent(true);
    t.track('after_consent');
    await wait(2000);
    expect(collector.events().map((e) => e.name ?? e.type)).toEqual(['page', 'after_consent']);
    const anon = collector.events()[0]!.anon!;
    expect(document.cookie).toBe(`_lt_id=${anon}`);
    expect(JSON.parse(localStorage.getItem('_lt')!)).toMatchObject({ a: anon, k: 1 });
  });

  it('remembers consent on the next page', async () => {
    const t = await tracker({ consent: 'required' });
    t.consent(true);
    await wait(2000);
    collector.sent.length = 0;
    await reload({ consent: 'required' });
    await wait(2000);
    expect(collector.named('page')).toHaveLength(1);
  });

  it('consent(false) forgets the visitor, drops what waits, and is remembered', async () => {
    collector.answer = () => 'network';
    const t = await tracker();
    t.identify('gone@b.co');
    await wait(2000);
    expect(stored().length).toBeGreaterThan(0);
    t.consent(false);
    await wait(1); // max-age=0: expired from the next millisecond on
    expect(stored()).toEqual([]);
    expect(JSON.parse(localStorage.getItem('_lt')!)).toEqual({ k: 0 });
    expect(document.cookie).toBe('');
    collector.answer = () => ({ status: 202 });
    collector.sent.length = 0;
    t.track('after_refusal');
    await wait(5000);
    expect(collector.sent).toEqual([]);
    await reload();
    await wait(5000);
    expect(collector.sent).toEqual([]);
    onlyTheRefusal();
  });
});

describe('reset', () => {
  it('starts a new anonymous id and session, keeping the consent answer', async () => {
    const t = await tracker({ consent: 'required' });
    t.consent(true);
    t.track('as_ada');
    t.reset();
    t.track('as_someone_else');
    await wait(2000);
    const [, ada, other] = collector.events();
    expect(other!.anon).not.toBe(ada!.anon);
    expect(other!.session).not.toBe(ada!.session);
    expect(JSON.parse(localStorage.getItem('_lt')!).k).toBe(1);
    expect(document.cookie).toBe(`_lt_id=${other!.anon}`);
  });
});

describe('development pages', () => {
  it('send nothing from localhost to a remote collector', async () => {
    setURL('http://localhost:3000/');
    await tracker();
    await wait(5000);
    expect(collector.sent).toEqual([]);
  });

  it('send from localhost with allowLocalhost, or to a local collector', async () => {
    setURL('http://localhost:3000/');
    await tracker({ allowLocalhost: true });
    await wait(2000);
    expect(collector.sent).toHaveLength(1);
    collector.sent.length = 0;
    setURL('http://127.0.0.1:5173/');
    await reload({ endpoint: 'http://127.0.0.1:8787' });
    await wait(2000);
    expect(collector.sent.map((s) => s.url)).toEqual(['http://127.0.0.1:8787/collect']);
  });

  it('knows what is local', async () => {
    const { isLocal } = await import('../../sdk/privacy');
    for (const origin of [
      'http://localhost:3000',
      'http://127.0.0.1:8787',
      'http://[::1]:80',
      'null',
      'file://',
    ])
      expect(isLocal(origin), origin).toBe(true);
    for (const origin of ['https://site.example', 'https://localhost.example.com', 'https://my127.example'])
      expect(isLocal(origin), origin).toBe(false);
  });
});

describe('automated browsers', () => {
  it('flag their events (navigator.webdriver) so the collector can quarantine them', async () => {
    Object.defineProperty(navigator, 'webdriver', { value: true, configurable: true });
    const t = await tracker();
    t.track('bot_click');
    await wait(2000);
    expect(collector.events().map((e) => e.auto)).toEqual([1, 1]);
  });

  it('leave people unflagged', async () => {
    await tracker();
    await wait(2000);
    expect(collector.events()[0]).not.toHaveProperty('auto');
  });
});
