/**
 * Configuration: environment variables plus an optional JSON config file, validated once at
 * start and frozen. A bad value stops the process with a message naming the field.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { fieldIssue } from '../shared/field-issue';
import { parsePasswordHash } from './dashboard/password';
import type { GeoMode } from './geo/lookup';
import { NETWORK_KINDS, type NetworkOverrides } from './geo/network-kind';
import {
  type AlertsConfig,
  alertsSchema,
  type OwnerConfig,
  ownerSchema,
  type SlaRule,
  slaSchema,
} from './handoff/config';
import type { QueueBounds } from './ingest/writer/overload';
import { privateUrlReason } from './outbox/ssrf';
import { ROLES, type Role, roleOfAccess } from './roles';
import { DEFAULT_RULESET, parseRuleset, type Ruleset, RulesetError } from './scoring/core/rules';
import { type SpendConfig, spendConfigSchema } from './spend/config';
import { isPostgresUrl } from './storage/database';

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`config: ${field}: ${message}`);
    this.name = 'ConfigError';
  }
}

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}, 'must be an origin like https://example.com (scheme, host and port only)');

/**
 * About two seconds of the writer's best rate queued, and a wait longer than the SQLite busy
 * timeout's default (5 s), so a briefly held lock is waited out rather than refused.
 */
export const DEFAULT_WRITE_QUEUE: QueueBounds = { maxPending: 10_000, maxWaitMs: 10_000 };

const siteSchema = z.object({
  key: z.string().regex(/^pk_[A-Za-z0-9_-]{2,64}$/, 'must look like pk_xxx'),
  name: z.string().min(1).max(200).optional(),
  origins: z.array(origin).min(1),
  identity_secret: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Secret write keys for server-side sources (Segment/RudderStack server libraries, imports).
   * Trusted to name users, to carry `context.ip` and to send events of any age; refused from browsers.
   */
  server_keys: z
    .array(
      z
        .string()
        .min(24, 'must be at least 24 characters')
        .max(200, 'must be at most 200 characters')
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
        .refine((key) => !key.startsWith('pk_'), 'must not start with pk_ (that prefix marks public keys)'),
    )
    .max(20, 'at most 20 server keys per site')
    .default([]),
});

/** `role` names one of the roles; the older `access` (read | full) still works and maps to viewer | admin. */
const roleFields = {
  role: z.enum(ROLES).optional(),
  access: z.enum(['read', 'full']).optional(),
};

interface RoleFields {
  role?: Role | undefined;
  access?: 'read' | 'full' | undefined;
}

function checkRole(entry: RoleFields, ctx: z.RefinementCtx, defaultRole: Role | undefined): void {
  if (entry.role && entry.access) {
    ctx.addIssue({ code: 'custom', path: ['role'], message: 'give either role or access, not both' });
  } else if (!entry.role && !entry.access && !defaultRole) {
    ctx.addIssue({ code: 'custom', path: ['role'], message: `is required: one of ${ROLES.join(', ')}` });
  }
}

function resolveRole<T extends RoleFields>(
  entry: T,
  defaultRole: Role,
): Omit<T, 'role' | 'access'> & { role: Role } {
  const { role, access, ...rest } = entry;
  return { ...rest, role: role ?? (access ? roleOfAccess(access) : defaultRole) };
}

const apiKeySchema = z
  .object({
    name: z.string().min(1).max(100),
    key: z.string().min(16, 'must be at least 16 characters'),
    ...roleFields,
  })
  .superRefine((entry, ctx) => checkRole(entry, ctx, undefined))
  // The refinement guarantees a role or an access, so the fallback is never used.
  .transform((entry) => resolveRole(entry, 'viewer'));

export const WEBHOOK_EVENTS = ['contact.mql', 'contact.sql', 'contact.stage_changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const webhookSchema = z.object({
  name: z.string().min(1).max(100).optional(),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(16, 'must be at least 16 characters'),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1)
    .default([...WEBHOOK_EVENTS]),
  /** Loopback, private and link-local targets are refused unless this is set (SSRF guard). */
  allow_private: z.boolean().default(false),
});

const fileSchema = z.strictObject({
  sites: z.array(siteSchema).min(1),
  api_keys: z.array(apiKeySchema).default([]),
  webhooks: z.array(webhookSchema).default([]),
  scoring: z.unknown().optional(),
  dashboard: z
    .strictObject({
      users: z
        .array(
          z
            .object({
              user: z.string().min(1).max(200),
              /** Plaintext (accepted, with a warning at start); prefer password_hash. */
              password: z.string().min(8).max(1024).optional(),
              /** `scrypt$N$r$p$salt$hash`, from `npm run hash-password`. */
              password_hash: z
                .string()
                .max(400)
                .superRefine((value, ctx) => {
                  const parsed = parsePasswordHash(value);
                  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
                })
                .optional(),
              ...roleFields,
            })
            .refine((u) => (u.password === undefined) !== (u.password_hash === undefined), {
              message: 'give either password or password_hash',
            })
            .superRefine((entry, ctx) => checkRole(entry, ctx, 'sales'))
            // Users without a role are the sales team (what `full` users did before roles: move leads).
            .transform((entry) => resolveRole(entry, 'sales')),
        )
        .default([]),
    })
    .default({ users: [] }),
  rate_limit: z
    .strictObject({
      /** Requests per minute per site key, and per client IP. 0 turns a limit off. */
      per_site_per_minute: z.number().int().min(0).default(60_000),
      per_ip_per_minute: z.number().int().min(0).default(600),
      /** The Segment endpoints (/v1/*): server-side sources, their own buckets. */
      server_per_site_per_minute: z.number().int().min(0).default(60_000),
      server_per_ip_per_minute: z.number().int().min(0).default(6_000),
    })
    .default({
      per_site_per_minute: 60_000,
      per_ip_per_minute: 600,
      server_per_site_per_minute: 60_000,
      server_per_ip_per_minute: 6_000,
    }),
  /**
   * Honour X-Forwarded-For (only behind proxies you run): `true` reads it from the right past
   * private addresses; a number is the exact count of proxies in front of the collector.
   */
  trust_proxy: z.union([z.boolean(), z.number().int().min(1).max(10)]).default(false),
  /** The group commit's queue: beyond these, 503 with Retry-After rather than unbounded growth. */
  write_queue: z
    .strictObject({
      max_pending: z.number().int().min(1).default(DEFAULT_WRITE_QUEUE.maxPending),
      max_wait_ms: z.number().int().min(1).default(DEFAULT_WRITE_QUEUE.maxWaitMs),
    })
    .default({ max_pending: DEFAULT_WRITE_QUEUE.maxPending, max_wait_ms: DEFAULT_WRITE_QUEUE.maxWaitMs }),
  /** Hand-off: lead owners and routing, alerts, SLA clocks (handoff/config.ts). */
  owners: z.array(ownerSchema).default([]),
  alerts: alertsSchema,
  sla: z.array(slaSchema).default([]),
  geo: z
    .strictObject({
      /** `full`: country and network; `country`: no network lookup; `off`: no lookup at all. */
      lookup: z.enum(['full', 'country', 'off']).default('full'),
      /** AS number (`"64500"`) or lower-case organisation name → network kind, over the built-in list. */
      network_kinds: z
        .record(z.string().min(1).max(200), z.enum(NETWORK_KINDS))
        .refine((r) => Object.keys(r).length <= 10_000, 'at most 10000 entries')
        .default({}),
    })
    .default({ lookup: 'full', network_kinds: {} }),
  metrics: z
    .strictObject({
      /** When set, /metrics answers only `Authorization: Bearer <token>`. */
      token: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
      /** How long gauges that query the database reuse their answer. */
      cache_seconds: z.number().min(0).max(300).default(5),
    })
    .default({ cache_seconds: 5 }),
  spend: spendConfigSchema,
});

export type SiteConfig = z.output<typeof siteSchema>;

/** A dashboard sign-in: exactly one of a plaintext password or a scrypt hash (dashboard/password.ts). */
export interface DashboardUser {
  user: string;
  role: Role;
  password?: string;
  passwordHash?: string;
}
export type ApiKey = z.output<typeof apiKeySchema>;
export type WebhookConfig = z.output<typeof webhookSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  dataDir: string;
  /** Where the config came from: a file path, or `built-in demo`. */
  source: string;
  sites: readonly SiteConfig[];
  apiKeys: readonly ApiKey[];
  /** The full-access key (from LEADTRAIL_ADMIN_KEY, or generated for the demo). */
  adminKey: string;
  /** Where the admin key came from: only a key generated by this start is ever printed whole. */
  adminKeyOrigin: AdminKeyOrigin;
  webhooks: readonly WebhookConfig[];
  scoring: Ruleset;
  dashboardUsers: readonly DashboardUser[];
  rateLimit: {
    per_site_per_minute: number;
    per_ip_per_minute: number;
    server_per_site_per_minute: number;
    server_per_ip_per_minute: number;
  };
  trustProxy: boolean;
  /** `trust_proxy` as a number: exactly this many proxies in front (client-address lookup). */
  proxyHops: number | undefined;
  /** Country and network lookup at ingest (collector/geo). */
  geo: { mode: GeoMode; networkKinds: NetworkOverrides };
  /** `/metrics`: an optional bearer token, and how long database gauges are cached. */
  metrics: { token?: string; cacheSeconds: number };
  /** SQLite: group commits in a writer thread (default) or on the HTTP thread (LEADTRAIL_WRITER). */
  writer: 'thread' | 'inline';
  /** The write queue's bounds (`write_queue`, or LEADTRAIL_WRITE_QUEUE_MAX_PENDING / _MAX_WAIT_MS). */
  writeQueue: QueueBounds;
  /** SQLite: how long a write waits for the lock before giving up (LEADTRAIL_SQLITE_BUSY_TIMEOUT_MS). */
  sqliteBusyTimeoutMs: number;
  owners: readonly OwnerConfig[];
  alerts: AlertsConfig;
  sla: readonly SlaRule[];
  /** Reporting currency, exchange rates and customer lifespan for the cost report. */
  spend: SpendConfig;
}

/** `env`: LEADTRAIL_ADMIN_KEY; `generated`: a demo key made by this start; `stored`: the demo key file. */
export type AdminKeyOrigin = 'env' | 'generated' | 'stored';

export type Env = Record<string, string | undefined>;

function fail(error: z.ZodError): never {
  const issue = fieldIssue(error, { root: '(root)' });
  throw new ConfigError(issue.field, issue.message);
}

function parseWriter(value: string | undefined): Config['writer'] {
  if (value === undefined || value === '' || value === 'thread') return 'thread';
  if (value === 'inline') return 'inline';
  throw new ConfigError('LEADTRAIL_WRITER', 'must be thread or inline');
}

/** A positive integer from the environment, overriding the file's value. */
function envCount(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d{1,12}$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(name, 'must be a whole number of at least 1');
  }
  return n;
}

function parseBusyTimeout(value: string | undefined): number {
  if (value === undefined || value === '') return 5000;
  const ms = Number(value);
  if (!/^\d{1,7}$/.test(value) || ms > 600_000) {
    throw new ConfigError(
      'LEADTRAIL_SQLITE_BUSY_TIMEOUT_MS',
      'must be a whole number of milliseconds, 0–600000',
    );
  }
  return ms;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8787;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', 'must be 0–65535');
  return port;
}

/** The demo admin key persists in the data folder so it stays the same across restarts. */
function demoAdminKey(dataDir: string): { key: string; origin: AdminKeyOrigin } {
  const file = join(dataDir, 'admin-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), origin: 'stored' };
  const key = `sk_demo_${randomBytes(18).toString('base64url')}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, origin: 'generated' };
}

export interface LoadConfigOptions {
  env?: Env;
  /** Read the file from this path instead of LEADTRAIL_CONFIG. */
  configPath?: string;
  /** Pass the file's content directly (tests). */
  file?: unknown;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const port = parsePort(env.PORT);
  const writer = parseWriter(env.LEADTRAIL_WRITER);
  const sqliteBusyTimeoutMs = parseBusyTimeout(env.LEADTRAIL_SQLITE_BUSY_TIMEOUT_MS);
  const databaseUrl = env.DATABASE_URL || './data/leadtrail.db';
  const dataDir =
    env.LEADTRAIL_DATA_DIR || (isPostgresUrl(databaseUrl) ? './data' : dirname(resolve(databaseUrl)));

  let raw: unknown = options.file;
  let source = options.file ? 'inline' : 'built-in demo';
  const path = options.configPath ?? env.LEADTRAIL_CONFIG;
  if (raw === undefined && path) {
    source = resolve(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError('LEADTRAIL_CONFIG', `cannot read ${path}: ${(error as Error).message}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ConfigError('LEADTRAIL_CONFIG', `${path} is not valid JSON: ${(error as Error).message}`);
    }
  }
  raw ??= {
    sites: [
      {
        key: 'pk_demo',
        name: 'Demo site',
        origins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
      },
    ],
  };

  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) fail(parsed.error);
  const file = parsed.data;

  const keys = new Set<string>();
  file.sites.forEach((site, i) => {
    if (keys.has(site.key)) throw new ConfigError(`sites.${i}.key`, `duplicate site key ${site.key}`);
    keys.add(site.key);
  });
  // A server key names exactly one site, and is never also an API key (a leak of one is then a leak of one).
  const apiKeyValues = new Set(file.api_keys.map((k) => k.key));
  file.sites.forEach((site, i) => {
    site.server_keys.forEach((key, j) => {
      const field = `sites.${i}.server_keys.${j}`;
      if (keys.has(key)) throw new ConfigError(field, 'duplicate key: used by another site or server key');
      if (apiKeyValues.has(key) || key === env.LEADTRAIL_ADMIN_KEY)
        throw new ConfigError(field, 'must differ from every API key');
      keys.add(key);
    });
  });

  // SSRF guard, first half: literal private addresses and localhost (DNS is checked at delivery).
  file.webhooks.forEach((webhook, i) => {
    const refused = webhook.allow_private ? null : privateUrlReason(webhook.url);
    if (refused) throw new ConfigError(`webhooks.${i}.url`, refused);
  });

  checkHandoff(file);

  let scoring: Ruleset;
  try {
    scoring = file.scoring === undefined ? DEFAULT_RULESET : parseRuleset(file.scoring);
  } catch (error) {
    if (!(error instanceof RulesetError)) throw error;
    throw new ConfigError(error.field, error.rule ? `rule "${error.rule}": ${error.problem}` : error.problem);
  }

  const admin = env.LEADTRAIL_ADMIN_KEY
    ? { key: env.LEADTRAIL_ADMIN_KEY, origin: 'env' as const }
    : demoAdminKey(dataDir);
  const adminKey = admin.key;
  if (adminKey.length < 16) throw new ConfigError('LEADTRAIL_ADMIN_KEY', 'must be at least 16 characters');
  const apiKeys: ApiKey[] = [{ name: 'admin', key: adminKey, role: 'admin' }, ...file.api_keys];

  return Object.freeze({
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir,
    source,
    sites: Object.freeze(file.sites),
    apiKeys: Object.freeze(apiKeys),
    adminKey,
    adminKeyOrigin: admin.origin,
    webhooks: Object.freeze(file.webhooks),
    scoring,
    dashboardUsers: Object.freeze(
      file.dashboard.users.map(
        (u): DashboardUser => ({
          user: u.user,
          role: u.role,
          ...(u.password !== undefined ? { password: u.password } : {}),
          ...(u.password_hash !== undefined ? { passwordHash: u.password_hash } : {}),
        }),
      ),
    ),
    rateLimit: file.rate_limit,
    trustProxy: file.trust_proxy !== false,
    proxyHops: typeof file.trust_proxy === 'number' ? file.trust_proxy : undefined,
    geo: { mode: file.geo.lookup, networkKinds: file.geo.network_kinds },
    metrics: {
      cacheSeconds: file.metrics.cache_seconds,
      ...(file.metrics.token !== undefined ? { token: file.metrics.token } : {}),
    },
    writer,
    writeQueue: Object.freeze({
      maxPending: envCount(env, 'LEADTRAIL_WRITE_QUEUE_MAX_PENDING', file.write_queue.max_pending),
      maxWaitMs: envCount(env, 'LEADTRAIL_WRITE_QUEUE_MAX_WAIT_MS', file.write_queue.max_wait_ms),
    }),
    sqliteBusyTimeoutMs,
    owners: Object.freeze(file.owners),
    alerts: file.alerts,
    sla: Object.freeze(file.sla),
    spend: file.spend,
  });
}

/** What the schema cannot see alone: unique owner ids, SLA escalations naming an owner, SSRF. */
function checkHandoff(file: z.output<typeof fileSchema>): void {
  const ids = new Set<string>();
  file.owners.forEach((owner, i) => {
    if (ids.has(owner.id)) throw new ConfigError(`owners.${i}.id`, `duplicate owner id ${owner.id}`);
    ids.add(owner.id);
  });
  file.sla.forEach((rule, i) => {
    if (rule.escalate_to && !ids.has(rule.escalate_to))
      throw new ConfigError(`sla.${i}.escalate_to`, `no owner has id ${rule.escalate_to}`);
  });
  const names = new Set<string>();
  file.alerts.slack.forEach((channel, i) => {
    if (names.has(channel.name))
      throw new ConfigError(`alerts.slack.${i}.name`, `duplicate channel name ${channel.name}`);
    names.add(channel.name);
  });
  if (file.alerts.allow_private) return;
  const urls: [string, string | undefined][] = [
    ...file.owners.map((o, i): [string, string | undefined] => [
      `owners.${i}.slack_webhook_url`,
      o.slack_webhook_url,
    ]),
    ...file.alerts.slack.map((c, i): [string, string | undefined] => [`alerts.slack.${i}.url`, c.url]),
  ];
  for (const [field, url] of urls) {
    const refused = url ? privateUrlReason(url) : null;
    if (refused) throw new ConfigError(field, refused);
  }
}
