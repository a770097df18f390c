/**
 * The session gate in front of every page: no valid session → the sign-in page (remembering
 * where the person was going); a POST must pass the CSRF checks. Fills in the request's session,
 * API client (acting as that person) and flash message.
 */
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../services';
import type { ApiFactory } from './api-client';
import type { DashboardEnv } from './context';
import type { Credential } from './credentials';
import { isValidPost } from './csrf';
import { ErrorPage } from './error-page';
import { takeFlash } from './flash';
import { isRevoked } from './revocation';
import { decodeSession, readSessionCookie } from './session';

export interface GateOptions {
  services: Services;
  secret: Buffer;
  credentials: readonly Credential[];
  clientFor: ApiFactory;
}

export function requireSession(options: GateOptions): MiddlewareHandler<DashboardEnv> {
  const { services, secret, credentials, clientFor } = options;
  const { trustProxy } = services.config;
  return async (c, next) => {
    const now = services.clock();
    const decoded = decodeSession(secret, readSessionCookie(c), credentials, now);
    // Signed and unexpired is not enough: the session may have been signed out (a copied cookie).
    const session = decoded && !(await isRevoked(services.db, decoded)) ? decoded : null;
    if (!session) {
      const url = new URL(c.req.url);
      const target = c.req.method === 'GET' ? `${url.pathname}${url.search}` : '/dashboard';
      return c.redirect(`/dashboard/login?next=${encodeURIComponent(target)}`, 303);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!(await isValidPost(c, session.csrf, trustProxy))) {
        return c.html(
          <ErrorPage
            title="Request refused"
            message="This form did not come from this dashboard page (missing or wrong security token). Go back, reload the page and try again."
          />,
          403,
        );
      }
    }
    c.set('session', session);
    c.set('now', now);
    const credential = credentials.find((entry) => entry.fingerprint === session.fingerprint)!;
    c.set('api', clientFor(credential, c.req.raw.signal, c.env));
    c.set('flash', takeFlash(c, secret, trustProxy));
    await next();
  };
}
