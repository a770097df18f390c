/**
 * The body reader's two paths give the same answers: Node's request read directly (the Node
 * server, covered end to end by collect.test.ts) and the fetch Request's stream (any other
 * runtime, or `app.request` as here), both cut off at the limit.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../collector/errors';
import { readBody } from '../../collector/ingest/validate';

const app = new Hono();
app.post('/body', async (c) => c.json({ bytes: (await readBody(c, 1000)).byteLength }));
app.onError((error, c) =>
  error instanceof AppError ? c.json(error.toJSON(), error.status) : c.json({ error: String(error) }, 500),
);

describe('readBody through a fetch Request', () => {
  it('returns the whole body under the limit', async () => {
    const response = await app.request('/body', { method: 'POST', body: 'x'.repeat(999) });
    expect(await response.json()).toEqual({ bytes: 999 });
  });

  it('refuses a streamed body over the limit with 413, without a Content-Length to go by', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(300));
        controller.close();
      },
    });
    const response = await app.request('/body', {
      method: 'POST',
      body: stream,
      // @ts-expect-error Node's fetch needs `duplex` for a stream body
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});
