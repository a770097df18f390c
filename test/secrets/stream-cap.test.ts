/**
 * Open SSE streams per key are capped: the sixth concurrent `/api/leads/stream` of one key is a
 * 429 with Retry-After, another key is not affected, and closing a stream frees its place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_DEFAULTS } from '../../collector/api/stream';
import { startCollector, type TestCollector } from '../helpers/server';
import { waitFor } from '../outbox/receiver';

let collector: TestCollector;
const controllers: AbortController[] = [];

beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  for (const controller of controllers) controller.abort();
  await collector.close();
});

async function openStream(key: string): Promise<Response> {
  const controller = new AbortController();
  controllers.push(controller);
  const response = await collector.api('/api/leads/stream', { key, signal: controller.signal });
  if (response.status === 200) {
    // Read the first message so the stream is really running.
    const reader = response.body!.getReader();
    await reader.read();
    Object.assign(response, { close: () => controller.abort() });
  }
  return response;
}

describe('SSE streams per key', () => {
  it('refuses one more than the cap with 429, per key, and frees a place when a stream closes', async () => {
    const cap = STREAM_DEFAULTS.maxPerKey!;
    expect(cap).toBe(5);
    const streams = [];
    for (let i = 0; i < cap; i++) {
      const response = await openStream(collector.adminKey);
      expect(response.status).toBe(200);
      streams.push(response as Response & { close(): void });
    }
    const refused = await openStream(collector.adminKey);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 5 open streams/,
    );

    const other = await openStream(collector.readKey);
    expect(other.status).toBe(200);

    streams[0]!.close();
    let again: Response | undefined;
    await waitFor(async () => {
      const response = await openStream(collector.adminKey);
      if (response.status === 200) again = response;
      return response.status === 200;
    });
    expect(again?.status).toBe(200);
  }, 30_000);
});
