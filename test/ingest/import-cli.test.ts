/**
 * `npm run import`: a Segment/RudderStack export or NDJSON of messages, from a file (gzip too) or
 * stdin, posted to a running collector with a server key; a second run stores nothing new.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../collector/cli/import';
import { batches, messagesOfLine } from '../../collector/cli/import-messages';
import { startCollector, TEST_SITE, type TestCollector } from '../helpers/server';

const SERVER_KEY = 'srv_cli_0123456789abcdefghijklm';
const ROOT = resolve(import.meta.dirname, '../..');
const DAY = 24 * 3600_000;

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'collector/cli/import.ts'), ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', (code) => ok({ code, out }));
  });
}

describe('npm run import', () => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      workers: false,
      file: { sites: [{ key: TEST_SITE, origins: ['http://localhost:1'], server_keys: [SERVER_KEY] }] },
    });
  });
  afterAll(() => server.close());

  const count = async () =>
    Number(
      (
        await server.services.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports an export file with a progress bar, skipping bad lines, and a rerun adds nothing', async () => {
    const t0 = Date.now() - 90 * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    const lines = [
      // A Segment export line: already corrected timestamp, receivedAt, a foreign writeKey.
      JSON.stringify({
        type: 'identify',
        messageId: 'exp-1',
        userId: 'u-exp',
        anonymousId: 'a-exp',
        traits: { email: 'exp@hist.io' },
        timestamp: iso(t0),
        originalTimestamp: iso(t0 - 5000),
        sentAt: iso(t0 - 4000),
        receivedAt: iso(t0 + 100),
        writeKey: 'someone-elses',
      }),
      // RudderStack's export: the same fields, plus its own.
      JSON.stringify({
        type: 'track',
        event: 'demo_requested',
        messageId: 'exp-2',
        userId: 'u-exp',
        anonymousId: 'a-exp',
        channel: 'server',
        rudderId: 'r-1',
        timestamp: iso(t0 + DAY),
        receivedAt: iso(t0 + DAY),
        properties: {},
      }),
      'not json at all',
      JSON.stringify({
        batch: [
          {
            type: 'page',
            anonymousId: 'a-exp',
            properties: { url: 'https://hist.io/pricing' },
            timestamp: iso(t0 + 2 * DAY),
          },
        ],
      }),
      '',
      JSON.stringify({ type: 'Track', event: 'no_id', anonymousId: 'a-exp', timestamp: iso(t0 + 3 * DAY) }),
    ];
    const file = join(server.dir, 'history.ndjson.gz');
    writeFileSync(file, gzipSync(lines.join('\n')));
    const before = await count();
    const first = await runCli([file, '--key', SERVER_KEY, '--url', server.url]);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('Imported 4 messages');
    expect(first.out).toContain('1 skipped');
    expect(first.out).toContain('line 3: not JSON');
    expect(await count()).toBe(before + 4);

    const contact = await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('email', '=', 'exp@hist.io')
      .executeTakeFirstOrThrow();
    expect(contact.stage).toBe('sql');
    expect(Number(contact.sql_at)).toBe(t0 + DAY);

    const again = await runCli([file, '--key', SERVER_KEY, '--url', server.url]);
    expect(again.code, again.out).toBe(0);
    expect(await count()).toBe(before + 4);

    const publicKey = await runCli([file, '--key', TEST_SITE, '--url', server.url]);
    expect(publicKey.code).toBe(0); // accepted, but nothing older than 7 days is stored
    expect(await count()).toBe(before + 4);
    const wrongKey = await runCli([file, '--key', 'srv_wrong_0123456789abcdefghij', '--url', server.url]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toContain('refused');
  });

  it('reads stdin, drops a message the collector refuses and keeps the rest of its batch', async () => {
    const lines = [
      JSON.stringify({ type: 'track', event: 'ok_1', anonymousId: 'a-stdin', messageId: 'stdin-1' }),
      JSON.stringify({ type: 'track', anonymousId: 'a-stdin', messageId: 'stdin-bad' }), // no event
      JSON.stringify({ type: 'track', event: 'ok_2', anonymousId: 'a-stdin', messageId: 'stdin-2' }),
    ];
    const result = await runImport({
      source: Readable.from([lines.join('\n')]),
      url: server.url,
      key: SERVER_KEY,
    });
    expect(result.sent).toBe(2);
    expect(result.skipped).toEqual([{ line: 2, reason: expect.stringContaining('stdin-bad') }]);
    const stored = await server.services.db
      .selectFrom('events')
      .select('id')
      .where('id', 'in', ['stdin-1', 'stdin-bad', 'stdin-2'])
      .orderBy('id')
      .execute();
    expect(stored.map((r) => r.id)).toEqual(['stdin-1', 'stdin-2']);
  });

  it("groups messages within Segment's limits and gives id-less messages a stable id", () => {
    const line = JSON.stringify({ type: 'track', event: 'x', anonymousId: 'a' });
    const a = messagesOfLine(line, 1).messages[0]!;
    const b = messagesOfLine(line, 2).messages[0]!;
    expect(a.messageId).toBe(b.messageId);
    expect(messagesOfLine(JSON.stringify({ type: 'track', p: 'x'.repeat(40_000) }), 1).skipped).toHaveLength(
      1,
    );
    const many = Array.from({ length: 1200 }, (_, i) => ({
      type: 'track',
      event: 'e',
      messageId: `m${i}`,
      p: 'x'.repeat(600),
    }));
    const groups = [...batches(many)];
    expect(groups.flat()).toHaveLength(1200);
    for (const group of groups) {
      expect(group.length).toBeLessThanOrEqual(500);
      expect(Buffer.byteLength(JSON.stringify({ batch: group }))).toBeLessThan(500 * 1024);
    }
  });
});
