/**
 * Secret API keys for everything under /api. Bearer tokens, compared in constant time, never
 * logged. Each key has a role (roles.ts); each route names the permission it needs.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ApiKey, Config } from './config';
import { AppError } from './errors';
import { can, PERMISSION_WORDS, type Permission } from './roles';

/** `full` is the pre-roles name for "admin only", kept so older call sites read the same. */
export type Access = Permission | 'full';

// Hashing first gives equal-length buffers, so the comparison leaks neither content nor length.
const digest = (value: string) => createHash('sha256').update(value).digest();

export function findKey(config: Config, presented: string): ApiKey | undefined {
  const presentedDigest = digest(presented);
  let found: ApiKey | undefined;
  // Compare against every key, even after a match, so timing says nothing about which matched.
  for (const key of config.apiKeys) {
    if (timingSafeEqual(digest(key.key), presentedDigest)) found = key;
  }
  return found;
}

/** A public site key: it is in every page's source, so it must never open the API. */
const isSiteKey = (config: Config, presented: string): boolean =>
  presented.startsWith('pk_') && config.sites.some((site) => site.key === presented);

export interface AuthVariables {
  apiKey: ApiKey;
}

/** Requires a secret key whose role grants `access`. Public site keys (pk_…) are refused here. */
export function requireKey(
  config: Config,
  access: Access = 'read',
): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const presented = match?.[1]?.trim() ?? '';
    const key = presented ? findKey(config, presented) : undefined;
    if (!key) {
      // RFC 6750: a 401 names the scheme the client should use.
      c.header('WWW-Authenticate', 'Bearer realm="leadtrail"');
      if (!match) {
        throw new AppError(401, 'unauthorized', 'missing API key: send Authorization: Bearer <secret key>');
      }
      if (isSiteKey(config, presented)) {
        throw new AppError(401, 'unauthorized', 'site keys (pk_…) only send events; use a secret API key');
      }
      throw new AppError(401, 'unauthorized', 'invalid API key');
    }
    const permission: Permission = access === 'full' ? 'publish_rules' : access;
    if (!can(key.role, permission)) {
      throw new AppError(
        403,
        'forbidden',
        `API key "${key.name}" has role ${key.role}, which may not ${PERMISSION_WORDS[permission]}`,
      );
    }
    c.set('apiKey', key);
    await next();
  };
}
