/**
 * The live feed's event stream through the dashboard: the session cookie stands in for the API
 * key, stage changes arrive as they happen, a reconnect resumes where it left off, and an open
 * stream does not hold up a server shutdown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, TEST_ADMIN_KEY, type TestCollector } from '../helpers/server';
import { dashboardClient, signIn } from './client';
import { seedDashboard } from './seed';

let collector: TestCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

/** Reads SSE frames from a response body until `done` says enough. */
async function readFrames(response: Response, done: (frames: string[]) => boolean, timeoutMs = 8000) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: string[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done(frames) && Date.now() < deadline) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      const parts = buffer.split('\n\n');
      buffer = parts.pop() ?? '';
      frames.push(...parts);
    }
  } finally {
    await reader.cancel();
  }
  return frames;
}

async function leadId(c: TestCollector, email: string) {
  const body = (await (await c.api(`/api/leads?q=${encodeURIComponent(email)}`)).json()) as {
    leads: { id: string }[];
  };
  return body.leads[0]!.id;
}

describe('dashboard event stream', () => {
  it('needs a session', async () => {
    collector = await startCollector();
    const response = await dashboardClient(collector.url).get('/dashboard/stream');
    expect(response.status).toBe(303);
  });

  it('passes stage changes through as they happen, and resumes after a reconnect', async () => {
    collector = await startCollector();
    const seeded = await seedDashboard(collector.url);
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const stream = await client.get('/dashboard/stream');
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');

    const id = await leadId(collector, seeded.rejectable.email);
    const moved = collector.api(`/api/contacts/${id}/stage`, {
      method: 'POST',
      body: JSON.stringify({ stage: 'qualify' }),
    });
    const frames = await readFrames(stream, (f) => f.some((frame) => frame.includes('"to":"sql"')));
    expect((await moved).status).toBe(200);
    const change = frames.find((frame) => frame.includes('"to":"sql"'))!;
    expect(change).toContain('event: stage_changed');
    expect(change).toContain(`"contact_id":"${id}"`);
    const lastId = /^id: (\d+)$/m.exec(change)![1]!;

    // Something happens while no one is listening; the reconnect gets it.
    const other = await leadId(collector, seeded.cold.email);
    await collector.api(`/api/contacts/${other}/stage`, {
      method: 'POST',
      body: JSON.stringify({ stage: 'disqualify', reason: 'no budget' }),
    });
    const resumed = await client.get('/dashboard/stream', { 'last-event-id': lastId });
    const later = await readFrames(resumed, (f) => f.some((frame) => frame.includes('"to":"disqualified"')));
    expect(later.some((frame) => frame.includes(`"contact_id":"${other}"`))).toBe(true);
    expect(later.some((frame) => frame.includes('"to":"sql"'))).toBe(false);
  });

  it('does not hold up a server shutdown', async () => {
    const running = await startCollector();
    const client = dashboardClient(running.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const stream = await client.get('/dashboard/stream');
    expect(stream.status).toBe(200);
    const reading = readFrames(stream, () => false, 15_000).catch(() => []);
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await reading;
  });
});
