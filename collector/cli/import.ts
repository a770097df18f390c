/**
 * `npm run import -- events.ndjson` — bring history in: NDJSON of Segment messages, or a Segment or
 * RudderStack export (gzip or not), from a file or stdin (`-`), with a progress bar.
 *
 * It posts to a running collector's `/v1/import` with one of the site's server keys, rather than
 * writing to the database itself: the import then goes through exactly what live traffic does
 * (validation, limits, identity, erasure, scoring by event time), works against PostgreSQL and
 * several processes alike, and needs no database credentials. Messages are sent in file order,
 * gzip-compressed, within Segment's limits; a resend is deduplicated on messageId.
 *
 *   npm run import -- events.ndjson --key srv_… [--url http://localhost:8787]
 *   gunzip -c export.json.gz | npm run import -- - --key srv_…
 */
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Presets, SingleBar } from 'cli-progress';
import { batches, linesOf, type Message, messagesOfLine, type Skipped } from './import-messages';

const USAGE = `usage: npm run import -- <file.ndjson[.gz] | -> --key <server key> [--url http://localhost:8787]
  The key is one of the site's sites[].server_keys (or LEADTRAIL_SERVER_KEY).`;

export interface ImportOptions {
  /** A file path, or a readable stream (stdin). */
  source: string | Readable;
  url: string;
  key: string;
  /** Called after each request with bytes read so far and messages sent. */
  onProgress?: (progress: { bytes: number; sent: number }) => void;
  /** Attempts per request on 429, 5xx and network errors. */
  attempts?: number;
}

export interface ImportResult {
  sent: number;
  requests: number;
  skipped: Skipped[];
}

export class ImportError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts one batch; drops messages the collector refuses (reporting them) and retries what is transient. */
async function post(
  options: ImportOptions,
  batch: Message[],
  skipped: Skipped[],
  lineOf: WeakMap<Message, number>,
): Promise<number> {
  const authorization = `Basic ${Buffer.from(`${options.key}:`).toString('base64')}`;
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${options.url.replace(/\/$/, '')}/v1/import`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ batch: pending })),
      });
    } catch (error) {
      if (attempt >= (options.attempts ?? 8))
        throw new ImportError(`cannot reach ${options.url}: ${(error as Error).message}`);
      await sleep(Math.min(30_000, 500 * 2 ** attempt));
      continue;
    }
    if (response.ok) return pending.length;
    const body = (await response.json().catch(() => ({}))) as {
      error?: { field?: string; message?: string };
    };
    const message = body.error?.message ?? `HTTP ${response.status}`;
    if (response.status === 401 || response.status === 403) throw new ImportError(`refused: ${message}`);
    if (response.status === 400) {
      const index = /^batch\.(\d+)/.exec(body.error?.field ?? '')?.[1];
      if (index === undefined) throw new ImportError(`refused: ${message}`);
      const refused = pending[Number(index)]!;
      skipped.push({
        line: lineOf.get(refused) ?? 0,
        reason: `messageId ${String(refused.messageId)}: ${message}`,
      });
      pending = pending.filter((_, i) => i !== Number(index));
      attempt = 0;
      continue;
    }
    if (response.status === 413 && pending.length > 1) {
      const half = Math.ceil(pending.length / 2);
      return (
        (await post(options, pending.slice(0, half), skipped, lineOf)) +
        (await post(options, pending.slice(half), skipped, lineOf))
      );
    }
    if (attempt >= (options.attempts ?? 8))
      throw new ImportError(`gave up after ${attempt} attempts: ${message}`);
    const retryAfter = Number(response.headers.get('retry-after'));
    await sleep(
      Number.isFinite(retryAfter) && retryAfter > 0
        ? retryAfter * 1000
        : Math.min(30_000, 500 * 2 ** attempt),
    );
  }
  return 0;
}

export async function runImport(options: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = { sent: 0, requests: 0, skipped: [] };
  let bytes = 0;
  let lineNumber = 0;
  let buffered: Message[] = [];
  const lineOf = new WeakMap<Message, number>();
  const flush = async (all: boolean) => {
    const groups = [...batches(buffered)];
    // Keep the last, partly filled group for more lines unless this is the end.
    const ready = all ? groups : groups.slice(0, -1);
    buffered = all ? [] : (groups.at(-1) ?? []);
    for (const group of ready) {
      result.sent += await post(options, group, result.skipped, lineOf);
      result.requests++;
      options.onProgress?.({ bytes, sent: result.sent });
    }
  };
  for await (const line of linesOf(options.source)) {
    lineNumber++;
    bytes += Buffer.byteLength(line) + 1;
    const { messages, skipped } = messagesOfLine(line, lineNumber);
    result.skipped.push(...skipped);
    for (const message of messages) lineOf.set(message, lineNumber);
    buffered.push(...messages);
    if (buffered.length >= 1000) await flush(false);
  }
  await flush(true);
  return result;
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { key: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  const key = values.key ?? process.env.LEADTRAIL_SERVER_KEY;
  const input = positionals[0];
  if (values.help || !input || !key || positionals.length > 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 64);
  }
  const url = values.url ?? `http://localhost:${process.env.PORT || 8787}`;
  const source = input === '-' ? process.stdin : input;
  let total = 0;
  try {
    total = typeof source === 'string' ? statSync(source).size : 0;
  } catch (error) {
    console.error(`cannot read ${input}: ${(error as Error).message}`);
    process.exit(66);
  }
  const gz = typeof source === 'string' && source.endsWith('.gz');
  const bar = new SingleBar(
    { format: 'import [{bar}] {percentage}% | {sent} messages | {eta_formatted} left', hideCursor: true },
    Presets.shades_classic,
  );
  // Compressed and piped input: the total is unknown, so the bar follows what has been read.
  bar.start(gz || total === 0 ? 1 : total, 0, { sent: 0 });
  const started = Date.now();
  try {
    const result = await runImport({
      source,
      url,
      key,
      onProgress: ({ bytes, sent }) => {
        if (gz || total === 0) bar.setTotal(Math.max(bytes, 1));
        bar.update(Math.min(bytes, gz || total === 0 ? bytes : total), { sent });
      },
    });
    bar.update(gz || total === 0 ? bar.getTotal() : total, { sent: result.sent });
    bar.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Imported ${result.sent} messages in ${result.requests} requests to ${url} (${seconds} s); ${result.skipped.length} skipped`,
    );
    for (const skip of result.skipped.slice(0, 20)) console.log(`  line ${skip.line}: ${skip.reason}`);
    if (result.skipped.length > 20) console.log(`  … and ${result.skipped.length - 20} more`);
  } catch (error) {
    bar.stop();
    console.error(error instanceof ImportError ? error.message : error);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void main();
