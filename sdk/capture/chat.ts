/**
 * Chat: one DOM event, `leadtrail:chat`, whatever the widget. Home-made bots dispatch it
 * themselves; the vendor adapters (sdk/chat/, shipped as lt-chat.js) turn Intercom, Drift,
 * HubSpot, Crisp and tawk.to callbacks into it. An email given in the chat identifies the visitor.
 *
 *   document.dispatchEvent(new CustomEvent('leadtrail:chat', { detail: { action: 'email', email } }))
 */
import { type ChatAction, EVENT_NAMES, type Props } from '../../shared/events';
import { isEmail } from './forms';
import { safe } from '../safe';

export const CHAT_EVENT = 'leadtrail:chat';

export interface ChatDetail {
  action: ChatAction;
  /** Which widget; home-made bots may leave it out ("custom"). */
  provider?: string;
  email?: string;
}

export function captureChat(track: (name: string, props: Props) => void, identify: (email: string) => void): void {
  document.addEventListener(
    CHAT_EVENT,
    safe((event: Event) => {
      const { action, provider = 'custom', email } = (event as CustomEvent<ChatDetail>).detail || {};
      if (/^(open|message|email)$/.test(action)) track(EVENT_NAMES.chat, { action, provider });
      if (isEmail(email)) identify(email!);
    }),
  );
}
