/**
 * A clean page for each SDK unit test, in happy-dom: a fresh copy of the SDK modules (they hold
 * the page's storage and listeners), empty localStorage and cookies, a URL, a fake collector
 * behind fetch and sendBeacon that records every batch, and fake timers. Listeners and history
 * methods the SDK installed are removed afterwards, so tests do not hear each other's trackers.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { Tracker, TrackerOptions } from '../../sdk/tracker';
import type { Batch, WireEvent } from '../../shared/events';

export const ENDPOINT = 'https://collector.example.com';

export interface Sent {
  via: 'fetch' | 'beacon';
  url: string;
  /** The raw body, as the browser would send it. */
  raw: string;
  contentType: string | undefined;
  keepalive: boolean | undefined;
  batch: Batch;
}

/** What the fake collector answers: a status (+ headers), or 'network' for a failed request. */
export type Answer = { status: number; headers?: Record<string, string> } | 'network';

export interface Collector {
  sent: Sent[];
  /** Events in the order they were sent, retries included. */
  events(): WireEvent[];
  /** Events of the type/name given. */
  named(name: string): WireEvent[];
  answer: (batch: Batch) => Answer;
  beaconAccepts: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: happy-dom's window extension is untyped
const happy = () => (window as any).happyDOM as { setURL(url: string): void };

export const setURL = (url: string): void => happy().setURL(url);

type Listener = [EventTarget, string, EventListenerOrEventListenerObject, unknown];
const added: Listener[] = [];
type Add = EventTarget['addEventListener'];
/** The prototypes that define addEventListener for window and for document (happy-dom has two). */
const owners = [window, document].map((target) => {
  let proto = target;
  while (!Object.hasOwn(proto, 'addEventListener')) proto = Object.getPrototypeOf(proto);
  return proto as { addEventListener: Add };
});
const originals = owners.map((owner) => owner.addEventListener);
const originalPush = history.pushState;
const originalReplace = history.replaceState;

export let collector: Collector;

/** The page has gone away (pagehide): requests still leave, but no answer comes back to it. */
let gone = false;

/** Installs the per-test page; call once at the top of a test file. */
export function usePage(url = 'https://site.example/'): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-03-02T10:00:00Z'));
    vi.resetModules();
    gone = false;
    localStorage.clear();
    for (const cookie of document.cookie.split('; ').filter(Boolean)) {
      // biome-ignore lint/suspicious/noDocumentCookie: clearing what the SDK wrote
      document.cookie = `${cookie.split('=')[0]}=;expires=Thu, 01 Jan 1970 00:00:00 GMT;path=/`;
    }
    document.body.innerHTML = '';
    document.head.innerHTML = '';
    // happy-dom runs no script files; it need not complain when lt.js adds lt-chat.js.
    // biome-ignore lint/suspicious/noExplicitAny: happy-dom's settings are untyped here
    (window as any).happyDOM.settings.handleDisabledFileLoadingAsSuccess = true;
    document.title = 'Test page';
    setURL(url);
    Object.defineProperty(navigator, 'webdriver', { value: false, configurable: true });
    owners.forEach((owner, i) => {
      owner.addEventListener = function (this: EventTarget, type, fn, options) {
        added.push([this, type, fn!, options]);
        return originals[i]!.call(this, type, fn, options);
      };
    });

    const sent: Sent[] = [];
    collector = {
      sent,
      events: () => sent.flatMap((s) => s.batch.events),
      named: (name) => collector.events().filter((e) => (e.type === 'track' ? e.name : e.type) === name),
      answer: () => ({ status: 202 }),
      beaconAccepts: true,
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const raw = String(init.body);
        const batch = JSON.parse(raw) as Batch;
        sent.push({
          via: 'fetch',
          url,
          raw,
          contentType: undefined,
          keepalive: init.keepalive,
          batch,
        });
        if (gone) return new Promise(() => {});
        const answer = collector.answer(batch);
        if (answer === 'network') throw new TypeError('Failed to fetch');
        return { status: answer.status, headers: new Headers(answer.headers ?? {}) };
      }),
    );
    Object.defineProperty(navigator, 'sendBeacon', {
      configurable: true,
      value: vi.fn((url: string, body: string) => {
        if (!collector.beaconAccepts) return false;
        sent.push({
          via: 'beacon',
          url,
          raw: body,
          contentType: 'text/plain;charset=UTF-8',
          keepalive: true,
          batch: JSON.parse(body),
        });
        return true;
      }),
    });
  });

  afterEach(() => {
    owners.forEach((owner, i) => {
      owner.addEventListener = originals[i]!;
    });
    for (const [target, type, fn, options] of added.splice(0))
      target.removeEventListener(type, fn, options as boolean);
    history.pushState = originalPush;
    history.replaceState = originalReplace;
    vi.clearAllTimers();
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
}

/** A fresh tracker (fresh SDK modules: a new page load reading the same localStorage). */
export async function tracker(options: Partial<TrackerOptions> = {}): Promise<Tracker> {
  const { createTracker } = await import('../../sdk/index');
  return createTracker({ site: 'pk_test', endpoint: ENDPOINT, ...options });
}

/** A reload: the old page's listeners go away, the SDK modules start over, storage stays. */
export async function reload(options: Partial<TrackerOptions> = {}): Promise<Tracker> {
  for (const [target, type, fn, opts] of added.splice(0))
    target.removeEventListener(type, fn, opts as boolean);
  history.pushState = originalPush;
  history.replaceState = originalReplace;
  // The old page's timers die with it (clearing them also resets the fake clock: keep the time).
  const now = Date.now();
  vi.clearAllTimers();
  vi.setSystemTime(now);
  vi.resetModules();
  gone = false;
  return tracker(options);
}

/** Lets timers run for `ms` and settles the promises they start (fetch answers). */
export const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** The stored queue: [event, attempts, not before][] */
export const stored = (): [WireEvent, number, number][] => JSON.parse(localStorage.getItem('_lt_q') ?? '[]');

/** The pagehide of a page that goes away: what it sends leaves, answers never reach it. */
export const leave = () => {
  gone = true;
  window.dispatchEvent(new Event('pagehide'));
};
