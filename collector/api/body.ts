/** A JSON request body, bounded before it is parsed: 413 over the limit, 400 when not JSON. */
import type { Context } from 'hono';
import { AppError } from '../errors';

export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const declared = Number(c.req.header('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, 'invalid_json', 'body is not valid JSON');
  }
}

const tooLarge = (maxBytes: number) =>
  new AppError(413, 'payload_too_large', `body is larger than ${Math.round(maxBytes / 1024)} KB`);
