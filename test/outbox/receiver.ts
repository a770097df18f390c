/**
 * A webhook receiver on a loopback port, as a customer would write one: it verifies the
 * signature (with the collector's clock, which tests move), records every request, and answers
 * with whatever status the test scripts for the nth request.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../collector/outbox/sign';

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  verified: boolean;
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests that were answered 2xx. */
  accepted(): Received[];
  close(): Promise<void>;
}

export async function startReceiver(
  options: {
    /** Status for the nth request (0-based); default 200. */
    respond?: (n: number) => number;
    now?: () => number;
    secret?: string;
    /** Answer this much later (a slow receiver). */
    delayMs?: number;
    /** Listen on this port (a receiver coming back after an outage); default any free one. */
    port?: number;
  } = {},
): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const check = verifySignature(
        options.secret ?? WEBHOOK_SECRET,
        req.headers['x-leadtrail-signature'] as string | undefined,
        body,
        (options.now ?? Date.now)(),
      );
      const scripted = options.respond?.(received.length) ?? 200;
      // A real receiver refuses what it cannot verify.
      const status = check.ok ? scripted : 401;
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {}
      received.push({ headers: req.headers, body, json, verified: check.ok, status });
      setTimeout(
        () => res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now'),
        options.delayMs ?? 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/leadtrail`,
    received,
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls until `check` holds (the dispatcher works on its own schedule). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
