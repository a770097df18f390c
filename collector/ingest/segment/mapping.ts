/**
 * One Segment message → one wire event of our own format, plus what identity needs beyond it
 * (Segment's `userId` on any message, `previousId` of an alias).
 *
 * Fields used: type, messageId (the event id: retries dedupe), anonymousId, userId, previousId
 * (alias), groupId and traits (group), event and properties (track), name and properties (page,
 * screen), traits or context.traits (identify: email, name, company, title, …), timestamp,
 * originalTimestamp, sentAt and receivedAt (event time), context.page (url, referrer, title),
 * context.campaign, context.userAgent, context.ip (server keys only) and
 * context.leadtrail.signature. Everything else (integrations, context.library, locale, device,
 * os, screen, …) is accepted and ignored.
 */
import { nanoid } from 'nanoid';
import type { Campaign, Props, WireEvent } from '../../../shared/events';
import type { Message } from './schema';

export const millis = (value: string | number | null | undefined): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
};

/**
 * The event time as Segment computes it. An exported message (it has `receivedAt`) already carries
 * the corrected `timestamp`. Otherwise the client's time (`originalTimestamp`, else `timestamp`) is
 * shifted by the client clock's skew, `receivedAt − sentAt`, when the sender said when it sent.
 * Without any time, the event happened when it arrived.
 */
export function eventTime(message: Message, batchSentAt: number | undefined, receivedAt: number): number {
  if (message.receivedAt !== undefined && message.receivedAt !== null) {
    return millis(message.timestamp) ?? millis(message.originalTimestamp) ?? millis(message.receivedAt)!;
  }
  const client = millis(message.originalTimestamp) ?? millis(message.timestamp);
  if (client === undefined) return receivedAt;
  const sentAt = millis(message.sentAt) ?? batchSentAt;
  return sentAt === undefined ? client : client + (receivedAt - sentAt);
}

function campaignOf(context: Message['context']): Campaign | undefined {
  const c = context?.campaign;
  if (!c) return undefined;
  const pick = (key: string) => (typeof c[key] === 'string' ? (c[key] as string) : undefined);
  const campaign: Campaign = {};
  const map: [keyof Campaign, string | undefined][] = [
    ['utm_source', pick('source')],
    ['utm_medium', pick('medium')],
    ['utm_campaign', pick('name') ?? pick('campaign')],
    ['utm_term', pick('term')],
    ['utm_content', pick('content')],
  ];
  for (const [key, value] of map) if (value) campaign[key] = value;
  return Object.keys(campaign).length > 0 ? campaign : undefined;
}

/** The traits an identify carries (Segment puts them at the top level, some senders in context). */
export const traitsOf = (message: Message): Props | undefined =>
  (message.traits ?? message.context?.traits ?? undefined) as Props | undefined;

/** The email an identify names, if its traits carry one. */
export function emailOf(message: Message): string | undefined {
  const email = traitsOf(message)?.email;
  return typeof email === 'string' && email.trim() !== '' ? email : undefined;
}

/** Who a message may name, decided by the route from the key and the signature (identity.ts). */
export interface Naming {
  userId?: string | undefined;
  /** The email that may name the contact (an unproven email stays a trait and names nobody). */
  email?: string | undefined;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** One Segment message → one wire event plus what identity needs beyond the wire format. */
export function toWireEvent(
  message: Message,
  naming: Naming,
  ts: number,
): { event: WireEvent; userId?: string; aliasOf?: string } {
  const properties = (message.properties ?? {}) as Props;
  const page = message.context?.page;
  const traits = traitsOf(message);
  const { userId, email } = naming;
  const base = {
    id: message.messageId ?? nanoid(),
    ts,
    ...(message.anonymousId ? { anon: message.anonymousId } : {}),
  };
  const campaign = campaignOf(message.context);
  const withCampaign = campaign ? { campaign } : {};
  const withUser = userId ? { userId } : {};
  switch (message.type) {
    case 'page':
    case 'screen': {
      const { url, path: _path, referrer, title, ...rest } = properties;
      const pageUrl = str(url) ?? page?.url ?? undefined;
      const ref = str(referrer) ?? page?.referrer ?? undefined;
      const pageTitle = str(title) ?? page?.title ?? undefined;
      return {
        event: {
          ...base,
          type: 'page',
          ...(pageUrl ? { url: pageUrl } : {}),
          ...(ref ? { ref } : {}),
          ...(pageTitle ? { title: pageTitle } : {}),
          props: { ...rest, ...(message.name ? { name: message.name } : {}) },
          ...withCampaign,
        },
        ...withUser,
      };
    }
    case 'identify':
      return {
        event: {
          ...base,
          type: 'identify',
          user: email ?? userId ?? '',
          ...(traits ? { traits } : {}),
          ...withCampaign,
        },
        ...withUser,
      };
    case 'alias':
      return {
        event: { ...base, type: 'identify', user: userId ?? '' },
        ...withUser,
        ...(message.previousId && userId ? { aliasOf: message.previousId } : {}),
      };
    case 'group':
      return {
        event: {
          ...base,
          type: 'track',
          name: 'group',
          props: { group_id: message.groupId ?? '', ...(traits ?? {}) },
        },
        ...withUser,
      };
    default:
      return {
        event: {
          ...base,
          type: 'track',
          name: message.event ?? '',
          props: properties,
          ...(page?.url ? { url: page.url } : {}),
          ...withCampaign,
        },
        ...withUser,
      };
  }
}
