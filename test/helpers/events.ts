/** Builders for wire events and batches, so tests say only what matters to them. */
import { nanoid } from 'nanoid';
import type { Batch, WireEvent } from '../../shared/events';
import { TEST_SITE } from './server';

export const pageView = (anon: string, url: string, extra: Partial<WireEvent> = {}): WireEvent => ({
  id: nanoid(),
  type: 'page',
  ts: Date.now(),
  anon,
  session: `s_${anon}`,
  url,
  title: 'Page',
  ...extra,
});

export const trackEvent = (
  anon: string,
  name: string,
  props: WireEvent['props'] = {},
  extra: Partial<WireEvent> = {},
): WireEvent => ({
  id: nanoid(),
  type: 'track',
  name,
  ts: Date.now(),
  anon,
  session: `s_${anon}`,
  props,
  ...extra,
});

export const identifyEvent = (
  anon: string,
  user: string,
  traits: WireEvent['traits'] = {},
  extra: Partial<WireEvent> = {},
): WireEvent => ({
  id: nanoid(),
  type: 'identify',
  ts: Date.now(),
  anon,
  session: `s_${anon}`,
  user,
  traits,
  ...extra,
});

export const batchOf = (events: WireEvent[], site = TEST_SITE): Batch => ({
  site,
  sent_at: Date.now(),
  events,
});

/** A desktop browser UA: events sent with it are not flagged as bots. */
export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

export function postBatch(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
}
