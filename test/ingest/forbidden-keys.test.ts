/**
 * Keys that reach an object's prototype (`__proto__`, `constructor`, `prototype`) are refused
 * anywhere in props and traits, also when control characters hide them (they are removed before
 * storage, so "__pro\u0000to__" would become __proto__), and on both APIs. What validation hands
 * on is built without a prototype.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent } from '../../shared/schema';
import { batchOf, identifyEvent, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_SITE, type TestCollector } from '../helpers/server';

const basic = `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`;
// JSON text, so the escapes reach the server as the characters themselves.
const HIDDEN = ['"__pro\\u0000to__"', '"__proto__\\u0007"', '"con\\u001fstructor"', '"\\u007fprototype"'];

describe('forbidden keys behind control characters', () => {
  it.each(HIDDEN)('parseEvent refuses %s in props and in nested traits', (key) => {
    const props = parseEvent(
      JSON.parse(`{"id":"e1","type":"track","name":"x","ts":${Date.now()},"props":{${key}:1}}`),
    );
    expect(props.ok).toBe(false);
    const traits = parseEvent(
      JSON.parse(
        `{"id":"e2","type":"identify","user":"a@b.io","ts":${Date.now()},"traits":{"a":{${key}:{"x":1}}}}`,
      ),
    );
    expect(traits.ok).toBe(false);
    if (!traits.ok) expect(traits.error.field).toMatch(/^traits\.a\./);
  });

  it('builds cleaned props without a prototype, at every level', () => {
    const parsed = parseEvent(trackEvent('a', 'x', { plan: 'pro', nested: { deep: { k: 'v\u0000' } } }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const props = parsed.value.props as Record<string, Record<string, Record<string, string>>>;
    expect(Object.getPrototypeOf(props)).toBeNull();
    expect(Object.getPrototypeOf(props.nested)).toBeNull();
    expect(Object.getPrototypeOf(props.nested!.deep)).toBeNull();
    expect(props.nested!.deep!.k).toBe('v');
    expect(JSON.stringify(props)).toBe('{"plan":"pro","nested":{"deep":{"k":"v"}}}');
  });
});

describe('forbidden keys over HTTP', () => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector();
  });
  afterAll(() => server.close());

  const collectWith = (key: string) => {
    const body = JSON.stringify(batchOf([trackEvent('anon-keys', 'x', { placeholder: 1 })])).replace(
      '"placeholder"',
      key,
    );
    return postBatch(server.url, body);
  };
  const segmentWith = (path: string, json: string) =>
    fetch(`${server.url}/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic },
      body: json,
    });

  it.each(HIDDEN)('/collect answers 400 to %s in props', async (key) => {
    const response = await collectWith(key);
    expect(response.status).toBe(400);
  });

  it.each(['"__proto__"', ...HIDDEN])('/v1/track answers 400 to %s in properties', async (key) => {
    const response = await segmentWith(
      'track',
      `{"anonymousId":"a1","event":"x","properties":{${key}:{"admin":true}}}`,
    );
    expect(response.status).toBe(400);
  });

  it.each(['"__proto__"', ...HIDDEN])('/v1/identify answers 400 to %s in traits', async (key) => {
    const response = await segmentWith('identify', `{"userId":"u-keys","traits":{${key}:{"admin":true}}}`);
    expect(response.status).toBe(400);
  });

  it('stores nothing from the refused batches, and keeps serving', async () => {
    const rows = await server.services.db.selectFrom('events').select('id').execute();
    expect(rows).toHaveLength(0);
    const ok = await postBatch(
      server.url,
      batchOf([identifyEvent('anon-fine', 'fine@acme.io', { plan: 'pro' })]),
    );
    expect(ok.status).toBe(202);
  });
});
