import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/events';
import { MAX_EVENTS_PER_BATCH, MAX_PROPS, MAX_STRING, MAX_URL } from '../../shared/limits';
import { cleanString, parseBatch } from '../../shared/schema';

const event = (extra: Record<string, unknown> = {}): WireEvent =>
  ({
    id: 'V1StGXR8_Z5jdHi6B-myT',
    type: 'page',
    ts: 1_763_884_799_000,
    anon: 'a1',
    url: 'https://x.io/',
    ...extra,
  }) as WireEvent;

const batch = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  site: 'pk_demo',
  sent_at: 1_763_884_800_000,
  events,
  ...extra,
});

const fieldOf = (input: unknown) => {
  const result = parseBatch(input);
  return result.ok ? null : result.error.field;
};

describe('wire schema', () => {
  it('accepts the README example batch', () => {
    const result = parseBatch(
      batch([
        event({
          type: 'track',
          name: 'download',
          session: 's1',
          url: 'https://x.io/pricing?utm_source=linkedin',
          ref: 'https://www.linkedin.com/',
          title: 'Pricing',
          props: { file: 'a.pdf', nested: { level: { three: 1 } } },
          traits: {},
          user: 'ada@example.com',
          campaign: { utm_source: 'linkedin' },
        }),
      ]),
    );
    expect(result.ok).toBe(true);
  });

  it('names the field of a wrong type', () => {
    expect(fieldOf(batch([event({ ts: 'yesterday' })]))).toBe('events.0.ts');
    expect(fieldOf(batch([event({ type: 'click' })]))).toBe('events.0.type');
    expect(fieldOf({ events: [event()] })).toBe('site');
    expect(fieldOf(batch([]))).toBe('events');
  });

  it(`refuses more than ${MAX_EVENTS_PER_BATCH} events and accepts exactly that many`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => event({ id: `id${i}` }));
    expect(parseBatch(batch(many(MAX_EVENTS_PER_BATCH))).ok).toBe(true);
    expect(fieldOf(batch(many(MAX_EVENTS_PER_BATCH + 1)))).toBe('events');
  });

  it('bounds strings, URLs and ids', () => {
    expect(parseBatch(batch([event({ title: 'x'.repeat(MAX_STRING) })])).ok).toBe(true);
    expect(fieldOf(batch([event({ title: 'x'.repeat(MAX_STRING + 1) })]))).toBe('events.0.title');
    expect(parseBatch(batch([event({ url: `https://x.io/${'a'.repeat(MAX_URL - 14)}` })])).ok).toBe(true);
    expect(fieldOf(batch([event({ url: `https://x.io/${'a'.repeat(MAX_URL)}` })]))).toBe('events.0.url');
    expect(fieldOf(batch([event({ id: 'i'.repeat(129) })]))).toBe('events.0.id');
    expect(fieldOf(batch([event({ props: { note: 'x'.repeat(MAX_STRING + 1) } })]))).toBe(
      'events.0.props.note',
    );
  });

  it(`refuses props with more than ${MAX_PROPS} keys`, () => {
    const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(parseBatch(batch([event({ props: props(MAX_PROPS) })])).ok).toBe(true);
    expect(fieldOf(batch([event({ props: props(MAX_PROPS + 1) })]))).toMatch(/^events\.0\.props/);
  });

  it('refuses props nested deeper than 3 levels', () => {
    expect(parseBatch(batch([event({ props: { a: { b: { c: 1 } } } })])).ok).toBe(true);
    expect(fieldOf(batch([event({ props: { a: { b: { c: { d: 1 } } } } })]))).toBe('events.0.props.a.b.c');
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the key %s anywhere in props or traits',
    (key) => {
      const json = `{"site":"pk_demo","events":[{"id":"x","type":"identify","ts":1763884799000,"traits":{"a":{"${key}":{"admin":true}}}}]}`;
      expect(fieldOf(JSON.parse(json))).toBe(`events.0.traits.a.${key}`);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    },
  );

  it('cleans control characters out of strings instead of refusing the event', () => {
    const result = parseBatch(
      batch([event({ title: 'Pri\u0000cing\u0007', props: { 'k\u0001': 'v\u001f' } })]),
    );
    expect(result.ok && result.value.events[0]?.title).toBe('Pricing');
    expect(result.ok && result.value.events[0]?.props).toEqual({ k: 'v' });
    expect(cleanString('tab\tand\nnewline')).toBe('tab\tand\nnewline');
  });

  it('refuses non-finite numbers and timestamps out of range', () => {
    expect(fieldOf(batch([event({ ts: 12 })]))).toBe('events.0.ts');
    expect(fieldOf(batch([event({ props: { n: Number.NaN } })]))).toBe('events.0.props.n');
  });
});
