/**
 * Hooks the chat widgets on the page (see vendors.ts) and turns their callbacks into the
 * `leadtrail:chat` DOM event that capture/chat.ts records, so adapters never need the tracker.
 *
 * Vendor snippets usually define their global (or a queueing stub) before this runs, but
 * HubSpot's arrives with its tracking code and a tag manager may add any of them later: look
 * now, then every 2 s for 30 s, and hook each vendor once.
 */
import type { ChatAction } from '../../shared/events';
import { CHAT_EVENT } from '../capture/chat';
import { safe } from '../safe';
import { CALL, ON, PUSH, VENDORS, type Vendor } from './vendors';

const ACTIONS: ChatAction[] = ['open', 'message'];

/** The first email address anywhere in a callback's arguments (each vendor shapes them differently). */
export const emailIn = (value: unknown): string | undefined =>
  JSON.stringify(value ?? '').match(/[^\s"',:;<>()[\]{}@]+@[^\s"',:;<>()[\]{}@]+\.[a-z]{2,}/i)?.[0];

// biome-ignore lint/suspicious/noExplicitAny: vendor APIs are untyped
type Listener = (...args: any[]) => void;
// biome-ignore lint/suspicious/noExplicitAny: vendor APIs are untyped
type Api = any;

function listen(api: Api, style: number, event: string, fn: Listener): void {
  if (style === CALL) api(event, fn);
  else if (style === ON) api.on(event, fn);
  else if (style === PUSH) api.push(['on', event, fn]);
  else {
    // A callback property: keep the page's own, called after ours.
    const theirs = api[event];
    api[event] = function (this: unknown, ...args: unknown[]) {
      fn(...args);
      return typeof theirs === 'function' ? theirs.apply(this, args) : undefined;
    };
  }
}

/** Hooks one vendor if its API is on the page; false when it is not (yet). */
export function hookVendor(w: Record<string, Api>, [provider, global, style, ...events]: Vendor): boolean {
  const api = w[global];
  if (!api) return false;
  events.forEach((event, i) => {
    const action = ACTIONS[i] || 'email';
    if (event)
      listen(
        api,
        style,
        event,
        safe((...args: unknown[]) =>
          document.dispatchEvent(
            new CustomEvent(CHAT_EVENT, {
              detail: { action, provider, email: action === 'email' ? emailIn(args) : undefined },
            }),
          ),
        ),
      );
  });
  return true;
}

export function hookChatWidgets(w: Window = window, tries = 15): void {
  let waiting = VENDORS;
  const look = safe(() => {
    waiting = waiting.filter((vendor) => {
      try {
        return !hookVendor(w as never, vendor);
      } catch {
        return false; // an API that throws is not one we can use: stop trying
      }
    });
    if (--tries > 0 && waiting.length) setTimeout(look, 2000);
  });
  look();
}
