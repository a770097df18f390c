/**
 * One Segment message → one wire event of our own format, plus what identity needs beyond it
 * (Segment's `userId` on any message, `previousId` of an alias).
 */
import { nanoid } from 'nanoid';
import type { Campaign, Props, WireEvent } from '../../../shared/events';
import type { Message } from './schema';

export const millis = (value: string | number | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
};

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

/** One Segment message → one wire event plus what identity needs beyond the wire format. */
export function toWireEvent(
  message: Message,
  now: number,
): { event: WireEvent; userId?: string; aliasOf?: string } {
  const properties = (message.properties ?? {}) as Props;
  const page = message.context?.page;
  const traits = (message.traits ?? message.context?.traits) as Props | undefined;
  const email = typeof traits?.email === 'string' ? traits.email : undefined;
  const base = {
    id: message.messageId ?? nanoid(),
    ts: millis(message.timestamp) ?? millis(message.originalTimestamp) ?? now,
    ...(message.anonymousId ? { anon: message.anonymousId } : {}),
  };
  const campaign = campaignOf(message.context);
  const withCampaign = campaign ? { campaign } : {};
  switch (message.type) {
    case 'page':
    case 'screen': {
      const { url, path: _path, referrer, title, ...rest } = properties;
      const pageUrl = (typeof url === 'string' ? url : undefined) ?? page?.url;
      const ref = (typeof referrer === 'string' ? referrer : undefined) ?? page?.referrer;
      const pageTitle = (typeof title === 'string' ? title : undefined) ?? page?.title;
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
        ...(message.userId ? { userId: message.userId } : {}),
      };
    }
    case 'identify':
      return {
        event: {
          ...base,
          type: 'identify',
          user: email ?? message.userId ?? '',
          ...(traits ? { traits } : {}),
          ...withCampaign,
        },
        ...(message.userId ? { userId: message.userId } : {}),
      };
    case 'alias':
      return {
        event: { ...base, type: 'identify', user: message.userId ?? '' },
        ...(message.userId ? { userId: message.userId } : {}),
        ...(message.previousId ? { aliasOf: message.previousId } : {}),
      };
    case 'group':
      return {
        event: {
          ...base,
          type: 'track',
          name: 'group',
          props: { group_id: message.groupId ?? '', ...(traits ?? {}) },
        },
        ...(message.userId ? { userId: message.userId } : {}),
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
        ...(message.userId ? { userId: message.userId } : {}),
      };
  }
}
