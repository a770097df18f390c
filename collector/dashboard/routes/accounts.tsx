/** `/dashboard/accounts` and `/dashboard/accounts/:domain`, from the API's account rollup. */
import { Hono } from 'hono';
import type { AccountDetail, AccountsPage as AccountsJson } from '../api-types';
import type { DashboardEnv } from '../context';
import { frameOf } from '../frame';
import { AccountPage, AccountsPage } from '../views/accounts';

export function accountRoutes() {
  const app = new Hono<DashboardEnv>();

  app.get('/accounts', async (c) => {
    const q = c.req.query('q')?.trim() ?? '';
    const cursor = c.req.query('cursor') || undefined;
    const page = await c.get('api').get<AccountsJson>('/accounts', { q, cursor, limit: 50 });
    const next = page.next_cursor
      ? `/dashboard/accounts?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.next_cursor })}`
      : null;
    return c.html(
      <AccountsPage
        frame={frameOf(c)}
        accounts={page.accounts}
        q={q}
        nextHref={next}
        paged={cursor !== undefined}
      />,
    );
  });

  app.get('/accounts/:domain', async (c) => {
    const domain = c.req.param('domain');
    const detail = await c.get('api').get<AccountDetail>(`/accounts/${encodeURIComponent(domain)}`);
    return c.html(<AccountPage frame={frameOf(c)} account={detail.account} members={detail.contacts} />);
  });

  return app;
}
