// @vitest-environment happy-dom
/**
 * No call of the SDK ever throws into the host page: not with localStorage blocked (Chrome with
 * cookies disabled throws on access; old Safari private mode throws on write), not with cookies
 * refused, not with the collector down or fetch throwing, not with nonsense arguments. With
 * storage blocked, events are still sent for as long as the page lives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collector, tracker, usePage, wait } from './harness';

usePage('https://site.example/');

const storageDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'localStorage')!;
const realStorage = localStorage;
afterEach(() => {
  Object.defineProperty(globalThis, 'localStorage', storageDescriptor);
  delete (document as { cookie?: string }).cookie;
});

function blockStorage(): void {
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
}

function everyCall(t: Awaited<ReturnType<typeof tracker>>): void {
  t.page({ a: 1 });
  t.track('clicked', { b: 2 });
  t.identify('ada@analytical.example', { name: 'Ada' }, { hmac: 'ff' });
  t.consent(true);
  t.flush();
  t.reset();
  t.track('after_reset');
}

describe('blocked storage', () => {
  it('throws nothing and still sends, from memory', async () => {
    blockStorage();
    const t = await tracker();
    expect(() => everyCall(t)).not.toThrow();
    await wait(2000);
    const names = collector.events().map((e) => e.name ?? e.type);
    expect(names).toEqual(['page', 'page', 'clicked', 'identify', 'after_reset']);
    // One visitor until reset, a new one after.
    const events = collector.events();
    expect(new Set(events.slice(0, 4).map((e) => e.anon)).size).toBe(1);
    expect(events[4]!.anon).not.toBe(events[0]!.anon);
  });

  it('retries from memory when the collector fails', async () => {
    blockStorage();
    let fail = true;
    collector.answer = () => (fail ? { status: 503 } : { status: 202 });
    await tracker();
    await wait(2000);
    fail = false;
    await wait(2000);
    expect(collector.sent).toHaveLength(2);
    expect(collector.sent[1]!.batch.events[0]!.id).toBe(collector.sent[0]!.batch.events[0]!.id);
  });

  it('copes with storage that reads but refuses writes (full quota, old private modes)', async () => {
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      value: {
        getItem: () => null,
        setItem() {
          throw new DOMException('QuotaExceededError', 'QuotaExceededError');
        },
        removeItem() {},
      },
    });
    const t = await tracker();
    t.track('x');
    await wait(2000);
    expect(collector.events().map((e) => e.name ?? e.type)).toEqual(['page', 'x']);
    expect(realStorage.length).toBe(0);
  });

  it('copes with cookies that throw', async () => {
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      set() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    const t = await tracker();
    expect(() => everyCall(t)).not.toThrow();
  });
});

describe('the network', () => {
  it('a fetch that throws synchronously, or a missing sendBeacon, throw nothing', async () => {
    globalThis.fetch = (() => {
      throw new TypeError('fetch is not a function');
    }) as typeof fetch;
    Object.defineProperty(navigator, 'sendBeacon', { value: undefined, configurable: true });
    const t = await tracker();
    expect(() => everyCall(t)).not.toThrow();
    expect(() => window.dispatchEvent(new Event('pagehide'))).not.toThrow();
    await wait(5000);
  });
});

describe('arguments', () => {
  it('nonsense arguments throw nothing', async () => {
    const t = await tracker();
    const anyT = t as unknown as Record<string, (...a: unknown[]) => void>;
    for (const method of Object.keys(t))
      for (const args of [[], [null], [undefined, undefined], [{}], [123, 'x', 7], [Symbol('s')]])
        expect(() => anyT[method]!(...args), method).not.toThrow();
    expect(() => document.dispatchEvent(new CustomEvent('leadtrail:chat', { detail: 42 }))).not.toThrow();
    await wait(2000);
    // What is sent fits the wire format: identify(123) is user "123"; nothing without a user or a name.
    const { parseBatch } = await import('../../shared/schema');
    for (const sent of collector.sent) expect(parseBatch(sent.batch)).toMatchObject({ ok: true });
    expect(collector.named('identify').map((e) => e.user)).toContain('123');
    expect(
      collector
        .events()
        .filter((e) => e.type === 'track')
        .map((e) => [e.name, e.props]),
    ).toContainEqual(['123', { 0: 'x' }]);
  });

  it('history methods keep working when the tracker breaks inside them', async () => {
    await tracker();
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => history.pushState({}, '', '/next')).not.toThrow();
    expect(location.pathname).toBe('/next');
  });
});
