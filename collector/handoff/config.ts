/**
 * The hand-off part of the config file: `owners` (who gets leads, when and where), `alerts`
 * (Slack and email) and `sla` (how fast an owner must answer). Validated with the rest of the
 * file, so a bad value stops the process with a message naming the field.
 */
import { z } from 'zod';

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-24');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const territorySchema = z.strictObject({
  /** Shown in the routing reason (`territory DACH`); defaults to a description of the matchers. */
  name: z.string().min(1).max(60).optional(),
  /** ISO 3166 two-letter codes, matched against the contact's `country` trait. */
  countries: z
    .array(z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code'))
    .min(1)
    .transform((list) => list.map((c) => c.toUpperCase()))
    .optional(),
  /** Employees, from the `employees` or `company_size` trait (a band like 50-249 counts as its lower end). */
  company_size: z
    .strictObject({ min: z.number().int().min(0).default(0), max: z.number().int().min(0).optional() })
    .optional(),
  /** Company email domains (accounts); a sub-domain matches too. */
  domains: z
    .array(z.string().min(1).max(253))
    .min(1)
    .transform((list) => list.map((d) => d.toLowerCase()))
    .optional(),
  /** Site keys. */
  sites: z.array(z.string().min(1).max(100)).min(1).optional(),
});

export const ownerSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/, 'must be 1–40 lower-case letters, digits, _ . -'),
  name: z.string().min(1).max(100),
  email: z.email({ error: 'must be an email address' }),
  /** Slack member id (U…), mentioned in alerts. */
  slack_member_id: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,20}$/, 'must be a Slack member id like U012AB3CD')
    .optional(),
  /** An incoming-webhook URL that posts to this owner (a DM or their channel). */
  slack_webhook_url: httpUrl.optional(),
  weight: z.number().int().min(1).max(100).default(1),
  time_zone: z.string().refine(isTimeZone, 'must be an IANA time zone like Europe/Berlin').default('UTC'),
  /** Without it the owner is always in working hours. Days are 1 (Monday) to 7 (Sunday). */
  working_hours: z
    .strictObject({
      days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
      start: clock,
      end: clock,
    })
    .refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] })
    .optional(),
  /** Whole days in the owner's time zone, both ends included. */
  out_of_office: z
    .array(z.strictObject({ from: day, to: day }).refine((r) => r.from <= r.to, 'from must not be after to'))
    .default([]),
  /** Without territories the owner takes leads no territory claims. */
  territories: z.array(territorySchema).default([]),
  /** May be sent escalations (a manager): never routed leads. */
  routable: z.boolean().default(true),
});

export const ALERT_EVENTS = ['mql', 'sql', 'sla_breach'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

const slackChannelSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1–40 lower-case letters, digits, _ -'),
  url: httpUrl,
  events: z
    .array(z.enum(ALERT_EVENTS))
    .min(1)
    .default([...ALERT_EVENTS]),
});

export const alertsSchema = z
  .strictObject({
    /** Where the contact links in alerts point (the dashboard's public origin). */
    dashboard_url: httpUrl.optional(),
    /** Channels that see every alert of their events, besides the owner's own. */
    slack: z.array(slackChannelSchema).default([]),
    /** Loopback and private Slack URLs are refused unless this is set (SSRF guard; tests, proxies). */
    allow_private: z.boolean().default(false),
    /** Email to the owner over SMTP. */
    email: z
      .strictObject({
        from: z.email({ error: 'must be an email address' }),
        host: z.string().min(1).max(253),
        port: z.number().int().min(1, 'must be 1–65535').max(65535, 'must be 1–65535').default(587),
        /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
        secure: z.boolean().default(false),
        user: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
      })
      .optional(),
  })
  .default({ slack: [], allow_private: false });

export const slaSchema = z.strictObject({
  /** The stage whose arrival starts the clock. */
  stage: z.enum(['mql', 'sql']),
  /** Working minutes (in the owner's working hours) until the owner must accept or reject. */
  minutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30),
  /** Owner id told on breach, besides the owner. */
  escalate_to: z.string().min(1).max(40).optional(),
  /** On breach, route the lead again to someone else. */
  reassign: z.boolean().default(false),
});

export type OwnerConfig = z.output<typeof ownerSchema>;
export type Territory = z.output<typeof territorySchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;
export type SlaRule = z.output<typeof slaSchema>;
