/**
 * Write keys: a site's public key (`pk_…`, in every page's source) and its secret server keys
 * (`sites[].server_keys`, kept on servers). A server key is trusted to name users on sites with
 * an `identity_secret`, to carry the visitor's IP (`context.ip`) and to send events of any age,
 * so it must never be used from a browser: a request that a browser made is refused with one.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Config, SiteConfig } from '../config';
import { AppError } from '../errors';

/** `public`: anyone may hold the key. `server`: the site's own backend sent this. */
export type Trust = 'public' | 'server';

export interface WriteKey {
  site: SiteConfig;
  trust: Trust;
}

// Server keys are looked up by their SHA-256: the map's timing can then tell nothing about a key.
const digest = (value: string) => createHash('sha256').update(value).digest('base64');

const indexes = new WeakMap<Config, Map<string, WriteKey>>();

function indexOf(config: Config): Map<string, WriteKey> {
  let index = indexes.get(config);
  if (!index) {
    index = new Map();
    for (const site of config.sites) {
      index.set(`public:${site.key}`, { site, trust: 'public' });
      for (const key of site.server_keys ?? []) index.set(`server:${digest(key)}`, { site, trust: 'server' });
    }
    indexes.set(config, index);
  }
  return index;
}

/** The site and trust a presented write key stands for, or undefined for an unknown key. */
export function resolveWriteKey(config: Config, key: string | undefined): WriteKey | undefined {
  if (!key) return undefined;
  const index = indexOf(config);
  return index.get(`public:${key}`) ?? index.get(`server:${digest(key)}`);
}

/**
 * Browsers send `Origin` with every POST (fetch, XHR, sendBeacon, forms); server libraries do
 * not. (`Sec-Fetch-Mode` is no sign: Node's own fetch sends it too.)
 */
export const fromBrowser = (c: Context): boolean => c.req.header('origin') !== undefined;

/** Server keys are secrets: one that reached a browser is refused (and should be rotated). */
export function refuseServerKeyFromBrowser(c: Context, key: WriteKey, field: string): void {
  if (key.trust === 'server' && fromBrowser(c)) {
    throw new AppError(
      403,
      'forbidden',
      `${field}: a server key cannot be used from a browser; use the site's public key (and rotate this one)`,
      field,
    );
  }
}
