/**
 * Stage 1: bytes → a valid Batch. Reads the body under the size limit (also when chunked or
 * gzip-compressed), parses JSON, and validates with the one schema in shared/.
 */
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Context } from 'hono';
import type { Batch } from '../../shared/events';
import { MAX_BODY_BYTES, MAX_EVENT_BYTES } from '../../shared/limits';
import { parseBatch } from '../../shared/schema';
import { AppError, badField } from '../errors';

const tooLarge = (limit: number) => new AppError(413, 'payload_too_large', `body larger than ${limit} bytes`);

/**
 * Reads the raw body, counting bytes as they arrive so a huge chunked upload is cut off early.
 * On the Node server it reads Node's request directly. Going through `c.req.raw.body` would
 * build a fetch Request, an AbortController and a web stream for every beacon: measured, that
 * was a tenth of the HTTP thread's time, and garbage it had to collect.
 */
export async function readBody(c: Context, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  try {
    return await readUpTo(c, limit);
  } catch (error) {
    // The rest of an oversized body is not worth reading: answer, then close the connection.
    if (error instanceof AppError && error.status === 413) c.header('Connection', 'close');
    throw error;
  }
}

async function readUpTo(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.readable) return readIncoming(incoming, limit);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop collecting; Node discards the rest once the 413 has been sent.
        stop();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** gzip bodies (Segment's libraries send them) are inflated with a hard cap: a gzip bomb is a 413, not an OOM. */
export function decode(c: Context, bytes: Uint8Array, limit = MAX_BODY_BYTES): string {
  const encoding = (c.req.header('content-encoding') ?? 'identity').toLowerCase();
  if (encoding === 'gzip') {
    try {
      return gunzipSync(bytes, { maxOutputLength: limit }).toString('utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        throw new AppError(413, 'payload_too_large', `decompressed body larger than ${limit} bytes`);
      }
      throw new AppError(400, 'bad_request', 'body is not valid gzip');
    }
  }
  if (encoding !== 'identity') {
    throw new AppError(
      415,
      'unsupported_media_type',
      `content-encoding ${encoding} is not supported (use gzip)`,
    );
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Beacons arrive as text/plain (no CORS preflight); API clients send application/json. */
export function checkContentType(c: Context): void {
  const type = (c.req.header('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/plain' && type !== 'application/json' && type !== '') {
    throw new AppError(
      415,
      'unsupported_media_type',
      `content-type ${type} is not accepted (use application/json or text/plain)`,
    );
  }
}

/** A request body as JSON: empty or malformed is a 400 (stored JSON is read by json-column.ts). */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new AppError(400, 'invalid_json', 'body is empty');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, 'invalid_json', 'body is not valid JSON');
  }
}

export function validateBatch(input: unknown, bodyLength: number): Batch {
  const parsed = parseBatch(input);
  if (!parsed.ok) throw badField(parsed.error.field, parsed.error.message);
  // Only a body bigger than one event's limit can hold an event over it: skip the work otherwise.
  if (bodyLength > MAX_EVENT_BYTES) {
    parsed.value.events.forEach((event, i) => {
      if (JSON.stringify(event).length > MAX_EVENT_BYTES) {
        throw new AppError(
          413,
          'payload_too_large',
          `events.${i}: event larger than ${MAX_EVENT_BYTES} bytes`,
          `events.${i}`,
        );
      }
    });
  }
  return parsed.value;
}

/** The whole stage: request → Batch. */
export async function readBatch(c: Context): Promise<Batch> {
  checkContentType(c);
  const text = decode(c, await readBody(c));
  return validateBatch(parseJsonBody(text), text.length);
}
