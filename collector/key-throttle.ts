/**
 * Failed API keys are throttled like failed dashboard sign-ins: per client (IPv4 address or
 * IPv6 /64), after too many 401s in the window every further attempt is a 429 until the window
 * ends, so a secret key cannot be guessed at speed. Requests with a good key cost nothing.
 */
import type { MiddlewareHandler } from 'hono';
import { createLoginThrottle } from './dashboard/login-throttle';
import { AppError } from './errors';
import { clientIp, clientKey } from './ingest/client';
import type { Services } from './services';

export function throttleFailedKeys(services: Pick<Services, 'config' | 'clock'>): MiddlewareHandler {
  const throttle = createLoginThrottle();
  return async (c, next) => {
    const client = clientKey(clientIp(c, services.config)) ?? 'local';
    const now = services.clock();
    const wait = throttle.wait(client, now);
    if (wait > 0) {
      throw new AppError(
        429,
        'rate_limited',
        `too many failed API keys; retry in ${wait} s`,
        undefined,
        wait,
      );
    }
    await next();
    // A request without a key is not a guess; a wrong key is.
    if (c.res.status === 401 && c.req.header('authorization')) throttle.failed(client, now);
  };
}
