/**
 * A read-only key never sees a webhook URL (paths and queries carry receivers' secrets): not in
 * a contact export's deliveries, not in their error text (even when the receiver echoes its own
 * path back), not on any other read route or dashboard page. A full key's export is the raw row.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardClient, signIn } from '../dashboard/client';
import { startCollector, type TestCollector } from '../helpers/server';
import { raiseHand } from '../outbox/process';
import { WEBHOOK_SECRET, waitFor } from '../outbox/receiver';

const PATH_SECRET = 'tok_Pq7Zr2MvX9';
const QUERY_SECRET = 'qs_Hn4Ls8Kd1W';
let receiver: Server;
let url: string;
let collector: TestCollector;

beforeAll(async () => {
  // A receiver that refuses and, like many frameworks, echoes what it was asked for.
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(404).end(`Cannot POST ${req.url} (see http://127.0.0.1${req.url})`));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/hooks/${PATH_SECRET}?key=${QUERY_SECRET}`;
  collector = await startCollector({
    file: { webhooks: [{ url, secret: WEBHOOK_SECRET, events: ['contact.sql'], allow_private: true }] },
  });
  await raiseHand(collector, 'viewer', 1);
  await waitFor(async () => {
    const row = await collector.services.db.selectFrom('outbox').selectAll().executeTakeFirst();
    return (row?.attempts ?? 0) >= 1 && row?.last_error !== null;
  });
});
afterAll(async () => {
  await collector.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const contactId = async () =>
  (
    await collector.services.db
      .selectFrom('contacts')
      .select('id')
      .where('stage', '=', 'sql')
      .executeTakeFirstOrThrow()
  ).id;

describe('webhook URLs and a read-only key', () => {
  it('the stored delivery really holds the URL and the echoed path (the test can fail)', async () => {
    const row = await collector.services.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.webhook).toBe(url);
    expect(row.last_error).toContain(PATH_SECRET);
  });

  it('a read-only export names the webhook by host and strips its path and query from errors', async () => {
    const id = await contactId();
    const response = await collector.api(`/api/contacts/${id}/export`, { key: collector.readKey });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(PATH_SECRET);
    expect(text).not.toContain(QUERY_SECRET);
    const data = JSON.parse(text) as { webhook_deliveries: { webhook: string; last_error: string }[] };
    expect(data.webhook_deliveries).toHaveLength(1);
    expect(data.webhook_deliveries[0]!.webhook).toBe(new URL(url).host);
    expect(data.webhook_deliveries[0]!.last_error).toMatch(/^HTTP 404/);
  });

  it('no other read route or dashboard page shows it to a read-only key', async () => {
    const id = await contactId();
    const paths = [
      `/api/contacts/${id}`,
      `/api/contacts/${id}/timeline`,
      '/api/leads',
      '/api/leads.csv',
      '/api/accounts',
      '/api/reports/funnel',
      '/api/reports/attribution',
    ];
    for (const path of paths) {
      const text = await (await collector.api(path, { key: collector.readKey })).text();
      expect(text, path).not.toContain(PATH_SECRET);
      expect(text, path).not.toContain(QUERY_SECRET);
    }
    const client = dashboardClient(collector.url);
    await signIn(client, { key: collector.readKey });
    for (const path of [
      '/dashboard',
      `/dashboard/contacts/${id}`,
      '/dashboard/overview',
      '/dashboard/accounts',
    ]) {
      const text = await client.html(path);
      expect(text, path).not.toContain(PATH_SECRET);
      expect(text, path).not.toContain(QUERY_SECRET);
    }
  });

  it('a full key exports the delivery as stored', async () => {
    const id = await contactId();
    const text = await (await collector.api(`/api/contacts/${id}/export`)).text();
    expect(text).toContain(PATH_SECRET);
  });
});
