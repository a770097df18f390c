/**
 * The ESM build: `import { createTracker } from 'leadtrail'`. Same tracker as the script tag,
 * options passed in code instead of data-* attributes. Safe to import during server-side
 * rendering: without a window it returns a tracker that does nothing.
 */
import { hookChatWidgets } from './chat';
import { createTracker as create, type Tracker, type TrackerOptions } from './tracker';

export type { Campaign, ChatAction, JsonValue, Props, WireEvent } from '../shared/events';
export type { ChatDetail } from './capture/chat';
export type { IdentifyOptions, Tracker, TrackerOptions } from './tracker';

const noop = () => {};

export function createTracker(options: TrackerOptions): Tracker {
  if (typeof window === 'undefined' || typeof document === 'undefined')
    return { identify: noop, track: noop, page: noop, consent: noop, reset: noop, flush: noop };
  const tracker = create(options);
  if (options.capture !== false) hookChatWidgets();
  return tracker;
}
