/**
 * One event in words: a kind (for the coloured chip) and a line of text. Everything here ends
 * up as JSX text, so titles, paths and props are escaped wherever they are shown.
 */
import { EVENT_NAMES, PRICING_FLAG } from '../../../shared/events';
import type { TimelineEvent } from '../api-types';

export type EventKind =
  | 'page'
  | 'pricing'
  | 'download'
  | 'chat'
  | 'form'
  | 'identify'
  | 'handraise'
  | 'event';

export const KIND_LABELS: Record<EventKind, string> = {
  page: 'Page view',
  pricing: 'Pricing',
  download: 'Download',
  chat: 'Chat',
  form: 'Form',
  identify: 'Identified',
  handraise: 'Hand-raise',
  event: 'Event',
};

/** The default hand-raise events (the README's lifecycle section): shown as the strongest signal in the timeline. */
const HAND_RAISES = new Set(['demo_requested', 'contact_sales', 'trial_started', 'meeting_booked']);

const str = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

function fileName(url: string | null): string | null {
  if (!url) return null;
  try {
    const path = new URL(url).pathname;
    return decodeURIComponent(path.split('/').filter(Boolean).at(-1) ?? url);
  } catch {
    return url;
  }
}

export function kindOf(event: TimelineEvent): EventKind {
  if (event.type === 'page') return event.props?.[PRICING_FLAG] === true ? 'pricing' : 'page';
  if (event.type === 'identify') return 'identify';
  switch (event.name) {
    case EVENT_NAMES.download:
      return 'download';
    case EVENT_NAMES.chat:
      return 'chat';
    case EVENT_NAMES.form:
      return 'form';
    default:
      return event.name && HAND_RAISES.has(event.name) ? 'handraise' : 'event';
  }
}

export function describeEvent(event: TimelineEvent): { kind: EventKind; label: string; text: string } {
  const kind = kindOf(event);
  const props = event.props ?? {};
  let text: string;
  switch (kind) {
    case 'page':
    case 'pricing':
      text = [event.title, event.path ?? event.url].filter(Boolean).join(' — ') || 'a page';
      break;
    case 'download':
      text = fileName(str(props.url) ?? str(props.file)) ?? 'a file';
      break;
    case 'chat': {
      const action = str(props.action);
      text =
        action === 'open'
          ? 'opened the chat'
          : action === 'message'
            ? 'sent a chat message'
            : action === 'email'
              ? 'gave an email in chat'
              : `chat ${action ?? ''}`.trim();
      break;
    }
    case 'form':
      text = `submitted ${str(props.form) ?? str(props.id) ?? str(props.name) ?? 'a form'}`;
      break;
    case 'identify': {
      const traits = event.traits ?? {};
      text = [str(traits.email), str(traits.name)].filter(Boolean).join(' · ') || 'signed in or gave details';
      break;
    }
    default:
      text = (event.name ?? event.type).replace(/_/g, ' ');
  }
  return { kind, label: KIND_LABELS[kind], text };
}

/**
 * What brought the person this session: the campaign of its first page view, or where that
 * view came from (search, referral, …). `events` is newest first, as the timeline lists them.
 */
export function campaignOf(events: TimelineEvent[]): string | null {
  const entry = [...events].reverse().find((e) => e.type === 'page');
  if (!entry) return null;
  const c = entry.campaign ?? {};
  const parts = [str(c.utm_source), str(c.utm_medium)].filter(Boolean).join(' / ');
  const name = str(c.utm_campaign);
  if (parts || name) return [parts, name].filter(Boolean).join(' · ');
  if (!entry.ref_kind || entry.ref_kind === 'internal' || entry.ref_kind === 'direct') return null;
  return `${entry.ref_kind}${entry.ref ? ` (${fileHost(entry.ref)})` : ''}`;
}

function fileHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
