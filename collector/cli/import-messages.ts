/**
 * Reading history for `npm run import`: lines of JSON → Segment messages → request bodies.
 * Accepts NDJSON of Segment messages, Segment's and RudderStack's exports (the same messages, one
 * per line, with `receivedAt`), lines holding a whole `{"batch": [...]}`, and gzip files.
 * A message without a `messageId` gets one derived from its content, so importing a file twice
 * stores each message once.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Segment's limits, which the collector enforces: one message, one request. */
export const MESSAGE_LIMIT = 32 * 1024;
/** Kept under Segment's 500 KB with room for the envelope. */
export const BODY_BUDGET = 450 * 1024;
export const MAX_MESSAGES_PER_REQUEST = 500;

export type Message = Record<string, unknown>;

export interface Skipped {
  line: number;
  reason: string;
}

/** One line of input → its messages (a batch line holds many), or why it was skipped. */
export function messagesOfLine(text: string, line: number): { messages: Message[]; skipped: Skipped[] } {
  const trimmed = text.trim();
  if (trimmed === '') return { messages: [], skipped: [] };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { messages: [], skipped: [{ line, reason: 'not JSON' }] };
  }
  const items = Array.isArray((value as { batch?: unknown })?.batch)
    ? ((value as { batch: unknown[] }).batch as unknown[])
    : [value];
  const messages: Message[] = [];
  const skipped: Skipped[] = [];
  for (const item of items) {
    if (
      typeof item !== 'object' ||
      item === null ||
      Array.isArray(item) ||
      typeof (item as Message).type !== 'string'
    ) {
      skipped.push({ line, reason: 'not a message (no "type")' });
      continue;
    }
    const message = { ...(item as Message) };
    message.type = String(message.type).toLowerCase();
    // A message's own write key would name the site it came from, not the one we import into.
    delete message.writeKey;
    if (typeof message.messageId !== 'string' || message.messageId === '') {
      message.messageId = `imp-${createHash('sha256').update(JSON.stringify(item)).digest('hex').slice(0, 40)}`;
    }
    if (Buffer.byteLength(JSON.stringify(message)) > MESSAGE_LIMIT) {
      skipped.push({ line, reason: `message larger than ${MESSAGE_LIMIT} bytes` });
      continue;
    }
    messages.push(message);
  }
  return { messages, skipped };
}

/** Groups messages into request bodies within Segment's limits. */
export function* batches(messages: Iterable<Message>): Generator<Message[]> {
  let current: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(JSON.stringify(message)) + 1;
    if (current.length > 0 && (bytes + size > BODY_BUDGET || current.length >= MAX_MESSAGES_PER_REQUEST)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) yield current;
}

/** The input's lines: a file (gunzipped when it ends in .gz or starts with gzip's magic) or stdin. */
export async function* linesOf(source: Readable | string): AsyncGenerator<string> {
  let stream: Readable;
  if (typeof source === 'string') {
    const head = await new Promise<Buffer>((resolve, reject) => {
      const s = createReadStream(source, { start: 0, end: 1 });
      const chunks: Buffer[] = [];
      s.on('data', (c) => chunks.push(c as Buffer))
        .on('end', () => resolve(Buffer.concat(chunks)))
        .on('error', reject);
    });
    const raw = createReadStream(source);
    stream =
      source.endsWith('.gz') || (head[0] === 0x1f && head[1] === 0x8b) ? raw.pipe(createGunzip()) : raw;
  } else {
    stream = source;
  }
  yield* createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
}
