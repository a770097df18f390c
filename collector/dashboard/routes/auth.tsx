/**
 * Sign-in and sign-out. The login form is protected against login CSRF with a double-submit
 * token (a cookie and a hidden field that must match) plus the same-origin check; failed
 * attempts are throttled per client IP.
 */
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { clientIp, clientKey } from '../../ingest/client';
import type { Services } from '../../services';
import type { DashboardEnv } from '../context';
import { checkKey, checkUser } from '../credentials';
import { CSRF_FIELD, isSameOrigin } from '../csrf';
import { createLoginThrottle } from '../login-throttle';
import { revokeSession } from '../revocation';
import { safeEqual } from '../secret';
import { clearSessionCookie, cookieOptions, encodeSession, newToken, writeSessionCookie } from '../session';
import { LoginPage } from '../views/login';

const LOGIN_COOKIE = 'lt_login';

/** Only paths inside the dashboard: never an open redirect to another site. */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string') return '/dashboard';
  if (!/^\/dashboard(\/|\?|$)/.test(value) || value.includes('\\') || value.startsWith('//')) {
    return '/dashboard';
  }
  return value;
}

export function authRoutes(services: Services, secret: Buffer) {
  const { config } = services;
  const app = new Hono();
  const throttle = createLoginThrottle();

  const renderLogin = (
    c: Context,
    next: string,
    error?: string,
    status: 200 | 400 | 401 | 403 | 429 = 200,
  ) => {
    const token = newToken();
    setCookie(c, LOGIN_COOKIE, token, cookieOptions(c, config.trustProxy, 3600));
    return c.html(
      <LoginPage token={token} next={next} error={error} hasUsers={config.dashboardUsers.length > 0} />,
      status,
    );
  };

  app.get('/login', (c) => renderLogin(c, safeNext(c.req.query('next'))));

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(body.next);
    const expected = getCookie(c, LOGIN_COOKIE);
    const token = body[CSRF_FIELD];
    if (
      !isSameOrigin(c, config.trustProxy) ||
      !expected ||
      typeof token !== 'string' ||
      !safeEqual(token, expected)
    ) {
      return renderLogin(c, next, 'The sign-in form expired. Please try again.', 403);
    }
    const ip = clientKey(clientIp(c, config)) ?? 'local';
    const now = services.clock();
    const wait = throttle.wait(ip, now);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return renderLogin(c, next, `Too many attempts. Try again in ${wait} s.`, 429);
    }
    const credential =
      body.method === 'user'
        ? await checkUser(config, secret, String(body.user ?? ''), String(body.password ?? ''))
        : checkKey(config, secret, String(body.key ?? ''));
    if (!credential) {
      throttle.failed(ip, now);
      const what = body.method === 'user' ? 'Unknown user or wrong password.' : 'That key is not valid.';
      return renderLogin(c, next, what, 401);
    }
    writeSessionCookie(c, encodeSession(secret, credential, now), config.trustProxy);
    return c.redirect(next, 303);
  });

  return app;
}

/**
 * Sign-out is a POST (behind the CSRF check) so a link on another site cannot sign anyone out.
 * It ends the session on the server too: a copy of the cookie taken before stops working.
 */
export function signOutRoute(services: Services) {
  const app = new Hono<DashboardEnv>();
  app.post('/logout', async (c) => {
    await revokeSession(services.db, c.get('session'), services.clock());
    clearSessionCookie(c, services.config.trustProxy);
    return c.redirect('/dashboard/login', 303);
  });
  return app;
}
