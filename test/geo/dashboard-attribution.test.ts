/** The network data is CC BY 4.0: every dashboard page links to its sources. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dashboardClient, signIn } from '../dashboard/client';
import { startCollector, TEST_ADMIN_KEY, type TestCollector } from '../helpers/server';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startCollector({});
});
afterAll(() => collector?.close());

it.each(['/dashboard', '/dashboard/accounts', '/dashboard/overview'])(
  '%s links to DB-IP and RouteViews',
  async (path) => {
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const html = await client.html(path);
    expect(html).toContain('<a href="https://db-ip.com">IP Geolocation by DB-IP</a>');
    expect(html).toContain('<a href="https://www.routeviews.org">RouteViews</a>');
  },
);
