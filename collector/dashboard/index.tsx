/**
 * `/dashboard`: server-rendered pages for marketers and sales. Order matters below: security
 * headers on everything, then the public bits (assets, sign-in), then the session gate (which
 * also checks CSRF on every POST), then the pages.
 */
import { Hono } from 'hono';
import type { Services } from '../services';
import { createApi } from './api-client';
import { assetRoutes } from './assets';
import type { DashboardEnv } from './context';
import { credentialsOf } from './credentials';
import { renderError, renderNotFound } from './error-page';
import { requireSession } from './gate';
import { securityHeaders } from './headers';
import { accountRoutes } from './routes/accounts';
import { authRoutes, signOutRoute } from './routes/auth';
import { contactRoutes } from './routes/contact';
import { feedRoutes } from './routes/feed';
import { overviewRoutes } from './routes/overview';
import { scoringRoutes } from './routes/scoring';
import { deriveSecret } from './secret';

export function dashboardRoutes(services: Services) {
  const secret = deriveSecret(services.config.adminKey);
  const credentials = credentialsOf(services.config, secret);
  const clientFor = createApi(services, credentials, secret);

  const app = new Hono<DashboardEnv>();
  app.onError(renderError);
  app.use('*', securityHeaders());
  app.route('/assets', assetRoutes());
  app.route('/', authRoutes(services, secret));
  app.use('*', requireSession({ services, secret, credentials, clientFor }));
  app.route('/', signOutRoute(services));
  app.route('/', feedRoutes());
  app.route('/', contactRoutes(services, secret));
  app.route('/', overviewRoutes(services));
  app.route('/', accountRoutes());
  app.route('/', scoringRoutes());
  app.all('*', renderNotFound);
  return app;
}
