/**
 * Stage 2: a valid wire event → the row we store. Adds browser/OS/device and the bot verdict,
 * truncates the IP, classifies the referrer, corrects the client clock, and flags what was odd.
 */
import { CAMPAIGN_KEYS, type Campaign, type WireEvent } from '../../shared/events';
import { MAX_AGE_MS, MAX_FUTURE_MS } from '../../shared/limits';
import { truncateIp } from './ip';
import { classifyReferrer } from './referrer';
import type { PreparedEvent, RequestContext } from './types';
import { parseUserAgent } from './user-agent';

export type Enriched = { ok: true; event: PreparedEvent } | { ok: false; id: string; reason: string };

function parseUrl(url: string | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Campaign from the event, or failing that from the page URL's query string. */
function campaignOf(event: WireEvent, url: URL | null): Campaign | undefined {
  if (event.campaign && Object.keys(event.campaign).length > 0) return event.campaign;
  if (!url?.search) return undefined;
  const found: Campaign = {};
  for (const key of CAMPAIGN_KEYS) {
    const value = url.searchParams.get(key);
    if (value) found[key] = value.slice(0, 1024);
  }
  return Object.keys(found).length > 0 ? found : undefined;
}

/** Server time is authoritative: shift the client's clock by its skew against ours. */
export function correctTime(ts: number, ctx: RequestContext): { ts: number; clamped: boolean } {
  const skew = ctx.sentAt !== undefined ? ctx.receivedAt - ctx.sentAt : 0;
  const corrected = ts + skew;
  if (corrected > ctx.receivedAt + MAX_FUTURE_MS) return { ts: ctx.receivedAt, clamped: true };
  // Small skews that still land in the future (rounding, a fast client) become "now".
  return { ts: Math.min(corrected, ctx.receivedAt), clamped: false };
}

export function enrich(event: WireEvent, ctx: RequestContext): Enriched {
  const time = correctTime(event.ts, ctx);
  // Server keys import history; the public key cannot rewrite what reports have already shown.
  if (ctx.trust !== 'server' && time.ts < ctx.receivedAt - MAX_AGE_MS)
    return { ok: false, id: event.id, reason: 'too_old' };

  const url = parseUrl(event.url);
  const campaign = campaignOf(event, url);
  const agent = ctx.serverSide
    ? { browser: null, os: null, device: null, bot: false }
    : parseUserAgent(ctx.userAgent);
  const flags: string[] = [];
  if (time.clamped) flags.push('clamped');
  if (event.auto === 1) flags.push('automated');
  const place = ctx.serverSide ? null : (ctx.place ?? null);
  // A browser on a hosting network is usually a crawler or a headless script: flagged, still
  // stored and scored (a VPN or a corporate proxy can look the same), and left out of the
  // anonymous-company view.
  if (place?.net?.kind === 'hosting') flags.push('hosting');

  const isIdentify = event.type === 'identify';
  return {
    ok: true,
    event: {
      row: {
        id: event.id,
        site: ctx.site.key,
        contact_id: null,
        anon: event.anon ?? null,
        session: event.session ?? null,
        type: event.type,
        name: event.name ?? null,
        ts: time.ts,
        received_at: ctx.receivedAt,
        url: event.url ?? null,
        path: url ? url.pathname : null,
        ref: event.ref ?? null,
        ref_kind: event.type === 'page' ? classifyReferrer(event.ref, url?.hostname ?? null, campaign) : null,
        title: event.title ?? null,
        props: event.props ? JSON.stringify(event.props) : null,
        traits: event.traits ? JSON.stringify(event.traits) : null,
        user: event.user ?? null,
        campaign: campaign ? JSON.stringify(campaign) : null,
        utm_source: campaign?.utm_source ?? null,
        utm_medium: campaign?.utm_medium ?? null,
        utm_campaign: campaign?.utm_campaign ?? null,
        browser: agent.browser,
        os: agent.os,
        device: agent.device,
        ip: truncateIp(ctx.ip),
        country: place?.country ?? null,
        asn: place?.net?.asn ?? null,
        net_org: place?.net?.org ?? null,
        net_kind: place?.net?.kind ?? null,
        bot: agent.bot || event.auto === 1 ? 1 : 0,
        flags: flags.length > 0 ? flags.join(',') : null,
      },
      user: isIdentify ? (event.user ?? null) : null,
      traits: isIdentify ? (event.traits ?? null) : null,
      signed: false,
    },
  };
}
