/**
 * `POST /collect`: the SDK's beacon endpoint. Site key and origin are checked before the body is
 * read; then validate → pipeline → 202 with what was stored.
 */
import { Hono } from 'hono';
import type { Clock } from '../clock';
import type { Config, SiteConfig } from '../config';
import { AppError } from '../errors';
import { clientIp, clientKey } from './client';
import { refuseServerKeyFromBrowser, resolveWriteKey } from './keys';
import type { Ingest } from './pipeline';
import type { RateLimiter } from './rate-limit';
import { readBatch } from './validate';

export interface CollectDeps {
  config: Config;
  ingest: Ingest;
  clock: Clock;
  limiter: RateLimiter;
}

export const findSite = (config: Config, key: string | undefined): SiteConfig | undefined =>
  key ? config.sites.find((site) => site.key === key) : undefined;

const limited = (wait: number) =>
  new AppError(429, 'rate_limited', 'too many requests; slow down', undefined, wait);

/**
 * Browsers (`/collect`) and server-side sources (`/v1/*`) have buckets of their own, so one
 * noisy server-side source cannot use up the allowance every visitor's beacons need.
 */
export type Source = 'browser' | 'server';

/** Per client (IPv4 address or IPv6 /64), checked before the body is read so a flood costs us as little as possible. */
export function checkIpRate(deps: CollectDeps, ip: string | null, source: Source = 'browser'): void {
  const key = clientKey(ip);
  const { per_ip_per_minute, server_per_ip_per_minute } = deps.config.rateLimit;
  const perMinute = source === 'browser' ? per_ip_per_minute : server_per_ip_per_minute;
  const wait = key ? deps.limiter.take(`${source}:ip:${key}`, perMinute, deps.clock()) : 0;
  if (wait > 0) throw limited(wait);
}

/** Per site key, once the body has named the site. */
export function checkSiteRate(deps: CollectDeps, site: string, source: Source = 'browser'): void {
  const { per_site_per_minute, server_per_site_per_minute } = deps.config.rateLimit;
  const perMinute = source === 'browser' ? per_site_per_minute : server_per_site_per_minute;
  const wait = deps.limiter.take(`${source}:site:${site}`, perMinute, deps.clock());
  if (wait > 0) throw limited(wait);
}

export function collectRoutes(deps: CollectDeps) {
  const app = new Hono();

  // The browser SDK must read every answer of /collect, errors included: a 4xx it cannot read
  // looks like a network error (retried, never dropped), and Retry-After is honoured only if exposed.
  app.use('/collect', async (c, next) => {
    await next();
    if (!c.res.headers.has('access-control-allow-origin'))
      c.res.headers.set('Access-Control-Allow-Origin', '*');
    c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After');
  });

  // Beacons are text/plain (no preflight); fetch with application/json preflights, so answer it.
  app.options('/collect', (c) => {
    const origin = c.req.header('origin');
    const allowed = origin && deps.config.sites.some((s) => s.origins.includes(origin));
    if (!allowed) return c.body(null, 403);
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'content-type');
    c.header('Access-Control-Max-Age', '86400');
    c.header('Vary', 'Origin');
    return c.body(null, 204);
  });

  app.post('/collect', async (c) => {
    const receivedAt = deps.clock();
    const ip = clientIp(c, deps.config);
    checkIpRate(deps, ip);
    const batch = await readBatch(c);
    const key = resolveWriteKey(deps.config, batch.site);
    // Never echo the presented key: it may be a secret server key someone mistyped.
    if (!key) throw new AppError(403, 'unknown_site', 'site: unknown site key', 'site');
    refuseServerKeyFromBrowser(c, key, 'site');
    const { site } = key;
    const origin = c.req.header('origin');
    if (origin) {
      if (!site.origins.includes(origin)) {
        throw new AppError(
          403,
          'origin_not_allowed',
          `origin ${origin} is not allowed for site ${site.key}`,
          'origin',
        );
      }
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    checkSiteRate(deps, site.key);
    const result = await deps.ingest(batch.events, {
      site,
      receivedAt,
      ip,
      userAgent: c.req.header('user-agent') ?? null,
      sentAt: batch.sent_at,
      trust: key.trust,
    });
    return c.json(result, 202);
  });

  return app;
}
