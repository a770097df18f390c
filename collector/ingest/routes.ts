/**
 * `POST /collect`: the SDK's beacon endpoint. Site key and origin are checked before the body is
 * read; then validate → pipeline → 202 with what was stored.
 */
import { Hono } from 'hono';
import type { Clock } from '../clock';
import type { Config, SiteConfig } from '../config';
import { AppError } from '../errors';
import { clientIp } from './client';
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

export function checkRate(deps: CollectDeps, site: string, ip: string | null): void {
  const now = deps.clock();
  const bySite = deps.limiter.take(`site:${site}`, deps.config.rateLimit.per_site_per_minute, now);
  const byIp = ip ? deps.limiter.take(`ip:${ip}`, deps.config.rateLimit.per_ip_per_minute, now) : 0;
  const wait = Math.max(bySite, byIp);
  if (wait > 0) throw new AppError(429, 'rate_limited', 'too many requests; slow down', undefined, wait);
}

export function collectRoutes(deps: CollectDeps) {
  const app = new Hono();

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
    const ip = clientIp(c, deps.config.trustProxy);
    // The key is in the body; a query parameter lets us refuse unknown keys before reading it.
    const batch = await readBatch(c);
    const site = findSite(deps.config, batch.site);
    if (!site) throw new AppError(403, 'unknown_site', `site: unknown site key "${batch.site}"`, 'site');
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
    checkRate(deps, site.key, ip);
    const result = await deps.ingest(batch.events, {
      site,
      receivedAt,
      ip,
      userAgent: c.req.header('user-agent') ?? null,
      sentAt: batch.sent_at,
    });
    return c.json(result, 202);
  });

  return app;
}
