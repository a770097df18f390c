// @vitest-environment happy-dom
/**
 * Delivery: batching, the persisted queue, retries with backoff, Retry-After, dropping on 4xx,
 * the attempt limit, expiry, the storage cap, unload requests in ≤ 64 KB chunks, and two tabs
 * sharing one queue without sending an event twice.
 */
import { describe, expect, it } from 'vitest';
import { collector, ENDPOINT, leave, reload, stored, tracker, usePage, wait } from './harness';

usePage();

/** Waits for `count` more sends; returns the times of the last send before and of each new one. */
async function sendTimes(count: number): Promise<number[]> {
  const times = [Date.now()];
  for (let i = 0; i < count; i++) {
    const before = collector.sent.length;
    for (let waited = 0; collector.sent.length === before; waited += 50) {
      if (waited > 400_000) throw new Error(`no send ${i + 1} of ${count}`);
      await wait(50);
    }
    times.push(Date.now());
  }
  return times;
}

/** Each gap is the backoff (−10 % jitter) at least, and at most +10 % plus one 0.5 s poll. */
function expectGaps(times: number[], backoffs: number[]): void {
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  expect(gaps).toHaveLength(backoffs.length);
  gaps.forEach((gap, i) => {
    expect(gap, `retry ${i + 1}`).toBeGreaterThanOrEqual(backoffs[i]! * 0.9);
    expect(gap, `retry ${i + 1}`).toBeLessThanOrEqual(backoffs[i]! * 1.1 + 550);
  });
}

describe('batching', () => {
  it('sends the load page view and what follows in one text/plain batch after 2 s', async () => {
    const start = Date.now();
    const t = await tracker();
    t.track('signup', { plan: 'team' });
    await wait(1900);
    expect(collector.sent).toEqual([]);
    await wait(200);
    expect(collector.sent).toHaveLength(1);
    const [sent] = collector.sent;
    expect(sent!.url).toBe(`${ENDPOINT}/collect`);
    expect(sent!.via).toBe('fetch');
    expect(sent!.keepalive).toBe(true);
    expect(sent!.batch).toMatchObject({ site: 'pk_test', sent_at: start + 2000 });
    expect(sent!.batch.events.map((e) => e.type)).toEqual(['page', 'track']);
    expect(sent!.batch.events[1]).toMatchObject({ name: 'signup', props: { plan: 'team' } });
    // Delivered: nothing stays stored.
    expect(stored()).toEqual([]);
  });

  it('sends at once when 10 events are waiting', async () => {
    const t = await tracker();
    for (let i = 1; i < 9; i++) t.track(`e${i}`);
    await wait(0);
    expect(collector.sent).toHaveLength(0);
    t.track('e9');
    await wait(0);
    expect(collector.sent).toHaveLength(1);
    expect(collector.sent[0]!.batch.events).toHaveLength(10);
  });

  it('gives every event a unique id and the fields of the wire format', async () => {
    const before = Date.now();
    const t = await tracker();
    t.track('a');
    t.track('b');
    await wait(2000);
    const events = collector.events();
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    for (const event of events) {
      expect(event.id).toMatch(/^\d{8,}$/);
      // Time first (ms), so ids sort in the order they were made: the collector's id index grows at one end.
      expect(Number(event.id.slice(0, 13))).toBeGreaterThanOrEqual(before);
      expect(Number(event.id.slice(0, 13))).toBeLessThanOrEqual(Date.now());
      expect(event.ts).toBeTypeOf('number');
      expect(event.anon).toBe(events[0]!.anon);
      expect(event.session).toBe(events[0]!.session);
      expect(event.url).toBe('https://site.example/');
    }
  });

  it('flush() sends right away', async () => {
    const t = await tracker();
    t.flush();
    await wait(0);
    expect(collector.sent).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries a 5xx with exponential backoff and the same event ids, then delivers', async () => {
    const answers = [500, 503, 502];
    collector.answer = () => ({ status: answers.shift() ?? 202 });
    await tracker();
    await wait(2000);
    expect(collector.sent).toHaveLength(1);
    expect(stored()[0]![1]).toBe(1); // one attempt counted
    const times = await sendTimes(3);
    // 0.5 s, 1 s, 2 s (±10 %), each retry on the queue's 0.5 s grid.
    expectGaps(times, [500, 1000, 2000]);
    const id = collector.sent[0]!.batch.events[0]!.id;
    expect(collector.sent.map((s) => s.batch.events[0]!.id)).toEqual([id, id, id, id]);
    expect(stored()).toEqual([]);
  });

  it('retries network errors and 429', async () => {
    const answers: ReturnType<typeof collector.answer>[] = ['network', { status: 429 }];
    collector.answer = () => answers.shift() ?? { status: 202 };
    await tracker();
    await wait(2000);
    await sendTimes(2);
    expect(collector.sent).toHaveLength(3);
    expect(stored()).toEqual([]);
  });

  it('never retries a 4xx', async () => {
    collector.answer = () => ({ status: 400 });
    await tracker();
    await wait(2000);
    expect(collector.sent).toHaveLength(1);
    expect(stored()).toEqual([]);
    await wait(120_000);
    expect(collector.sent).toHaveLength(1);
  });

  it('honours Retry-After, up to 300 s', async () => {
    const answers = [
      { status: 503, headers: { 'retry-after': '7' } },
      { status: 429, headers: { 'retry-after': '3600' } },
    ];
    collector.answer = () => answers.shift() ?? { status: 202 };
    await tracker();
    await wait(2000);
    await wait(6900);
    expect(collector.sent).toHaveLength(1);
    await wait(600);
    expect(collector.sent).toHaveLength(2);
    // An hour asked, 300 s honoured.
    await wait(299_000);
    expect(collector.sent).toHaveLength(2);
    await wait(1600);
    expect(collector.sent).toHaveLength(3);
  });

  it('gives up after 10 attempts, with backoff capped at 60 s', async () => {
    collector.answer = () => ({ status: 500 });
    await tracker();
    await wait(2000);
    const times = await sendTimes(9);
    expect(collector.sent).toHaveLength(10);
    // 0.5, 1, 2, 4, 8, 16, 32, then 60 s at most
    expectGaps(times, [500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(stored()).toEqual([]);
    await wait(600_000);
    expect(collector.sent).toHaveLength(10);
  });
});

describe('the persisted queue', () => {
  it('survives a reload: the next page sends the events the collector did not take, with their ids', async () => {
    collector.answer = () => 'network';
    const t = await tracker();
    t.track('before_reload');
    await wait(2000);
    const firstIds = collector.events().map((e) => e.id);
    expect(stored().map((item) => item[0].id)).toEqual(firstIds);

    collector.answer = () => ({ status: 202 });
    collector.sent.length = 0;
    await reload();
    await wait(2000);
    const ids = collector.events().map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(firstIds));
    expect(ids).toHaveLength(firstIds.length + 1); // + the new page's view
    expect(stored()).toEqual([]);
  });

  it('keeps at most 100 events, dropping the oldest', async () => {
    collector.answer = () => 'network';
    const t = await tracker();
    await wait(2000);
    for (let i = 0; i < 130; i++) t.track(`e${i}`);
    const names = stored().map((item) => item[0].name ?? item[0].type);
    expect(names).toHaveLength(100);
    expect(names[0]).toBe('e30');
    expect(names[99]).toBe('e129');
  });

  it('drops events older than 12 hours instead of sending them late', async () => {
    collector.answer = () => 'network';
    const t = await tracker();
    t.track('old');
    await wait(2000);
    collector.answer = () => ({ status: 202 });
    collector.sent.length = 0;
    // The tab sleeps through the night; the queue is read again 12 h later.
    localStorage.setItem(
      '_lt_q',
      JSON.stringify(
        stored().map(([event, attempts]) => [{ ...event, ts: event.ts - 12 * 3600_000 }, attempts, 0]),
      ),
    );
    t.track('fresh');
    await wait(2000);
    expect(collector.events().map((e) => e.name)).toEqual(['fresh']);
  });
});

describe('leaving the page', () => {
  it('sends waiting events on pagehide with a keepalive fetch; with no answer yet, keeps them for the next page', async () => {
    const t = await tracker();
    t.track('outbound_click');
    leave();
    expect(collector.sent.map((s) => [s.via, s.keepalive])).toEqual([['fetch', true]]);
    expect(collector.sent[0]!.batch.events.map((e) => e.type)).toEqual(['page', 'track']);
    expect(stored()).toHaveLength(2);
    // The next page sends them again, same ids (the collector stores each id once).
    await reload();
    await wait(2000);
    const again = collector.sent[1]!.batch.events.map((e) => e.id);
    expect(again).toEqual(expect.arrayContaining(collector.sent[0]!.batch.events.map((e) => e.id)));
    expect(stored()).toEqual([]);
  });

  it('trusts the last request when the collector has just delivered: nothing is sent twice', async () => {
    const t = await tracker();
    await wait(2000); // the page view is delivered
    t.track('outbound_click');
    leave();
    expect(collector.sent).toHaveLength(2);
    expect(stored()).toEqual([]);
    await reload();
    await wait(2000);
    expect(collector.named('outbound_click')).toHaveLength(1);
  });

  it('does not trust the last request while the collector is failing', async () => {
    collector.answer = () => ({ status: 503 });
    const t = await tracker();
    await wait(2000); // the page view fails and waits its backoff
    t.track('while_failing');
    leave();
    expect(collector.sent).toHaveLength(2);
    expect(collector.sent[1]!.batch.events.map((e) => e.name)).toEqual(['while_failing']);
    expect(stored().map((item) => item[0].name ?? item[0].type)).toEqual(['page', 'while_failing']);
  });

  it('also flushes when the tab is hidden', async () => {
    await tracker();
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
    expect(collector.sent.map((s) => [s.via, s.keepalive])).toEqual([['fetch', true]]);
    // The page lives on and reads the answer: delivered, nothing left to send.
    await wait(0);
    expect(stored()).toEqual([]);
  });

  it('never uses sendBeacon: one code path for every request', async () => {
    const t = await tracker();
    t.track('x');
    leave();
    expect(navigator.sendBeacon).not.toHaveBeenCalled();
    expect(collector.sent.map((s) => s.via)).toEqual(['fetch']);
  });

  it('splits an unload into bodies of at most 64 KB, every event in exactly one', async () => {
    collector.answer = () => 'network';
    const t = await tracker();
    await wait(2000); // the page view fails once and waits
    for (let i = 0; i < 40; i++) t.track(`big${i}`, { text: 'é'.repeat(1000), more: 'x'.repeat(1000) });
    collector.sent.length = 0;
    await wait(600); // past the page view's backoff
    collector.sent.length = 0;
    // Everything due again:
    localStorage.setItem('_lt_q', JSON.stringify(stored().map(([e, a]) => [e, a, 0])));
    leave();
    // Not trusted (the collector is failing): all of them stay for the next page.
    const beacons = collector.sent;
    expect(beacons.length).toBeGreaterThan(1);
    for (const beacon of beacons)
      expect(new TextEncoder().encode(beacon.raw).length).toBeLessThanOrEqual(64 * 1024);
    const ids = beacons.flatMap((b) => b.batch.events.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(
      stored()
        .map((item) => item[0].id)
        .sort(),
    );
  });
});

describe('two tabs', () => {
  it('never send the same stored event: a claimed event is left alone by the other tab', async () => {
    // Tab A's request hangs (its events are claimed and in flight).
    let release: () => void = () => {};
    const hanging = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fetchA = globalThis.fetch;
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      await hanging;
      return fetchA(url, init);
    }) as typeof fetch;
    const a = await tracker();
    a.track('from_a');
    await wait(2000);
    // Tab B opens (same localStorage) and sends what it finds due.
    globalThis.fetch = fetchA;
    const b = await reload();
    b.track('from_b');
    await wait(2000);
    release();
    await wait(100);
    const ids = collector.events().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(collector.named('from_a')).toHaveLength(1);
    expect(collector.named('from_b')).toHaveLength(1);
  });
});
