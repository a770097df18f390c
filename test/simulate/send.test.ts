/**
 * The simulator's delivery against a loopback HTTP server that misbehaves on purpose: it waits
 * out 429s as Retry-After says, retries 5xx, and stops on a 4xx with the server's message.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSender } from '../../collector/cli/simulate/send';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server answering with the scripted statuses in turn; records what it received. */
async function scripted(statuses: number[]) {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      const status = statuses[seen.length - 1] ?? 202;
      if (status === 429) res.setHeader('retry-after', '3');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        status === 202
          ? JSON.stringify({ accepted: 2, duplicates: 1, refused: [] })
          : '{"error":{"code":"x","message":"nope"}}',
      );
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

const batch = { site: 'pk_demo', events: [{ id: 'e1', type: 'page' as const, ts: 1_763_000_000_000 }] };

describe('simulator delivery', () => {
  it('posts a text/plain beacon with the visitor UA, the Origin and a fresh sent_at', async () => {
    const { url, seen } = await scripted([202]);
    const send = createSender({ url, origin: 'http://localhost:8787' });
    const before = Date.now();
    expect(await send(batch, 'UA/1.0')).toEqual({ accepted: 2, duplicates: 1, refused: 0 });
    expect(seen[0]!.headers['content-type']).toBe('text/plain');
    expect(seen[0]!.headers['user-agent']).toBe('UA/1.0');
    expect(seen[0]!.headers.origin).toBe('http://localhost:8787');
    const body = JSON.parse(seen[0]!.body);
    expect(body.events).toEqual(batch.events);
    expect(body.sent_at).toBeGreaterThanOrEqual(before);
  });

  it('waits out rate limits as Retry-After says without using up its attempts, and retries 5xx', async () => {
    const { url, seen } = await scripted([429, 429, 429, 503, 500, 202]);
    const waits: number[] = [];
    const send = createSender({
      url,
      origin: 'http://x.test',
      maxAttempts: 3,
      sleep: async (ms) => void waits.push(ms),
    });
    expect((await send(batch, 'UA')).accepted).toBe(2);
    expect(seen).toHaveLength(6);
    expect(waits.slice(0, 3)).toEqual([3000, 3000, 3000]);
    expect(waits).toHaveLength(5);
  });

  it('stops on a refusal with the status and the server message', async () => {
    const { url } = await scripted([400]);
    const send = createSender({ url, origin: 'http://x.test', sleep: async () => {} });
    await expect(send(batch, 'UA')).rejects.toThrow(/answered 400: .*nope/);
  });

  it('gives up on a server that keeps failing', async () => {
    const { url, seen } = await scripted([500, 500, 500, 500]);
    const send = createSender({ url, origin: 'http://x.test', maxAttempts: 3, sleep: async () => {} });
    await expect(send(batch, 'UA')).rejects.toThrow(/answered 500/);
    expect(seen).toHaveLength(3);
  });
});
