/**
 * `/dashboard/my-leads`: the feed filtered to the signed-in person's leads. A dashboard user is
 * an owner when the user name is the owner's id or email; anyone else sees the unowned leads.
 */
import { Hono } from 'hono';
import type { Services } from '../../services';
import type { DashboardEnv } from '../context';

export function myLeadsRoute(services: Services) {
  const app = new Hono<DashboardEnv>();
  app.get('/my-leads', (c) => {
    const name = c.get('session').name.toLowerCase();
    const owner = services.config.owners.find((o) => o.id === name || o.email.toLowerCase() === name);
    return c.redirect(`/dashboard?owner=${encodeURIComponent(owner?.id ?? 'none')}`, 302);
  });
  return app;
}
