/**
 * The ESM build: `import { createTracker } from 'leadtrail'`. The same tracker as the script
 * tag, options passed in code instead of data-* attributes, chat capture included (the script
 * tag fetches it as lt-chat.js). Safe to import during server-side rendering: without a window
 * it returns a tracker that does nothing.
 */
import { captureChat } from './capture/chat';
import { hookChatWidgets } from './chat';
import { createTracker as create, type Tracker, type TrackerOptions } from './tracker';

export type { Campaign, ChatAction, JsonValue, Props, WireEvent } from '../shared/events';
export type { ChatDetail } from './capture/chat';
export type { IdentifyOptions, Tracker, TrackerOptions } from './tracker';

const noop = () => {};

/** One tracker per page (it owns the page's listeners and the `_lt` storage keys). */
export function createTracker(options: TrackerOptions): Tracker {
  if (typeof window === 'undefined' || typeof document === 'undefined')
    return { identify: noop, track: noop, page: noop, consent: noop, reset: noop, flush: noop };
  const tracker = create(options);
  captureChat(tracker.track, tracker.identify);
  hookChatWidgets();
  return tracker;
}
