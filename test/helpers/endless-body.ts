/**
 * A client that streams a chunked request body that never ends (until the server answers or
 * closes, or `maxBytes` is sent), as an attacker trying to fill the server's memory would.
 */
import { request } from 'node:http';

export interface EndlessResult {
  status: number;
  /** Bytes of body written before the answer arrived. */
  sentBeforeAnswer: number;
  /** The server closed the connection after answering. */
  closed: boolean;
  connection: string | undefined;
}

export function sendEndlessBody(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; maxBytes?: number; chunk?: number } = {},
): Promise<EndlessResult> {
  const url = new URL(path, baseUrl);
  const chunk = Buffer.alloc(options.chunk ?? 64 * 1024, 'a');
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered: Omit<EndlessResult, 'closed'> | undefined;
    let settled = false;
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: options.method ?? 'POST',
      headers: { 'transfer-encoding': 'chunked', ...(options.headers ?? {}) },
    });
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      if (answered) resolve({ ...answered, closed });
      else reject(new Error(`no answer after ${sent} bytes`));
      req.destroy();
    };
    req.on('response', (res) => {
      answered = {
        status: res.statusCode ?? 0,
        sentBeforeAnswer: sent,
        connection: res.headers.connection,
      };
      res.resume();
      // Give the server a moment to close; a kept-alive connection counts as not closed.
      const timer = setTimeout(() => finish(false), 3000);
      res.socket.once('close', () => {
        clearTimeout(timer);
        finish(true);
      });
    });
    req.on('error', (error) => {
      // A reset after the answer is the server closing on us: what we want.
      if (answered) finish(true);
      else if (!settled) {
        settled = true;
        reject(error);
      }
    });
    const pump = () => {
      while (!answered && !settled && sent < maxBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (sent >= maxBytes && !answered) req.end();
    };
    pump();
  });
}
