/**
 * createTracker: wires storage, the visitor record, the delivery queue and automatic capture
 * into the six calls of the public API. Every event is built here, in `emit`.
 *
 * Consent: with `consent: 'required'` nothing is stored and nothing is sent until consent(true)
 * (calls before it are dropped; consent(true) sends the page view of the page it happens on).
 * The answer is remembered in the visitor record; after consent(false) it is all that remains.
 */
import type { EventType, Props, WireEvent } from '../shared/events';
import { MAX_STRING, MAX_URL } from '../shared/limits';
import { captureForms } from './capture/forms';
import { captureLinks } from './capture/links';
import { capturePageviews } from './capture/pageviews';
import { DOWNLOADS, pattern, type TrackerOptions } from './config';
import { isLocal, privacySignal } from './privacy';
import { createQueue, QUEUE_KEY } from './queue';
import { on, safe } from './safe';
import { set } from './storage';
import { forget, uid, VISITOR_KEY, visit, visitor } from './visitor';

export type { TrackerOptions } from './config';

export interface IdentifyOptions {
  /** HMAC-SHA256(identity_secret, user) in hex, computed by the site's backend (signed identify). */
  hmac?: string;
}

export interface Tracker {
  /** Names the visitor by email or the site's own user id; earlier anonymous events join them. */
  identify(user: string, traits?: Props, options?: IdentifyOptions): void;
  track(name: string, props?: Props): void;
  /** A page view of the current URL (automatic capture already sends one per navigation). */
  page(props?: Props): void;
  /** The visitor's answer to the consent question. */
  consent(granted: boolean): void;
  /** Forgets the visitor: new anonymous id, new session (call on logout). */
  reset(): void;
  /** Sends waiting events now. */
  flush(): void;
}

/** One per page: storage and listeners are the page's. */
export function createTracker(options: TrackerOptions): Tracker {
  const answer = visitor().k;
  let granted = answer === 1 || (answer !== 0 && options.consent !== 'required');

  // Off for good on this page: a privacy signal the site promised to honour, or a development
  // page that would otherwise pollute a production collector.
  const off =
    (options.respectDnt && privacySignal()) ||
    (!options.allowLocalhost && isLocal(location.origin) && !isLocal(options.endpoint));

  const queue = createQueue(
    options.site,
    `${options.endpoint.replace(/\/$/, '')}/collect`,
    () => granted && !off,
  );
  const pricing = pattern(options.pricing || '/pricing*', '^');

  const emit = (type: EventType, fields: Partial<WireEvent>) => {
    if (!granted || off) return;
    const now = Date.now();
    const { a, s } = visit(now);
    queue.add({
      id: uid(),
      type,
      ts: now,
      anon: a,
      session: s,
      url: location.href.slice(0, MAX_URL),
      // Automated browsers say so; the collector keeps their events out of scores and reports.
      auto: navigator.webdriver ? 1 : undefined,
      ...fields,
    });
  };

  const tracker = {
    // Coerced to the wire types, so a numeric user id or a stray argument cannot get a whole batch refused.
    identify: (user: string, traits?: Props, extra?: IdentifyOptions) =>
      user && emit('identify', { user: `${user}`, traits: { ...traits }, hmac: extra?.hmac }),
    track: (name: string, props?: Props) => name && emit('track', { name: `${name}`, props: { ...props } }),
    /** `ref`: the previous URL of a single-page app (capture/pageviews.ts); the document's referrer otherwise. */
    page: (props?: Props, ref = document.referrer) =>
      emit('page', {
        title: document.title.slice(0, MAX_STRING),
        ref: ref.slice(0, MAX_URL),
        // shared/events.ts PRICING_FLAG ("pricing", spelled out: a computed key costs bytes),
        // which lets the collector score pricing visits.
        props: { ...props, pricing: pricing.test(location.pathname) },
      }),
    consent(yes: boolean) {
      const was = granted;
      granted = yes;
      if (yes) set(VISITOR_KEY, { ...visitor(), k: 1 });
      else {
        set(QUEUE_KEY, []);
        forget(0);
      }
      // Tracking starts now: this page's view is its first event.
      if (yes && !was) tracker.page();
    },
    reset: () => forget(),
    flush: () => queue.flush(),
  };
  for (const key in tracker) tracker[key as 'flush'] = safe(tracker[key as 'flush']) as () => void;

  if (!off)
    safe(() => {
      const { track, identify, page } = tracker;
      page();
      const settle = capturePageviews((ref) => page(undefined, ref));
      // Leaving the page, or the tab going to the background (on mobile often the last chance):
      // a navigation still settling is taken now, then everything due goes out.
      const leaving = () => {
        settle();
        queue.flush(true);
      };
      on('pagehide', leaving, window);
      on('visibilitychange', () => document.hidden && leaving());
      captureLinks(track, pattern(options.downloads || DOWNLOADS, '\\.'));
      if (options.forms !== false) captureForms(track, identify);
    })();
  return tracker;
}
