/**
 * Chat: one DOM event, `leadtrail:chat`, whatever the widget. Home-made bots dispatch it
 * themselves; the vendor adapters (sdk/chat/, shipped as lt-chat.js) turn Intercom, Drift,
 * HubSpot, Crisp and tawk.to callbacks into it. An email given in the chat identifies the visitor.
 *
 *   document.dispatchEvent(new CustomEvent('leadtrail:chat', { detail: { action: 'email', email } }))
 */
import { type ChatAction, EVENT_NAMES, type Props } from '../../shared/events';
import { on } from '../safe';
import { isEmail } from './forms';

export const CHAT_EVENT = 'leadtrail:chat';

export interface ChatDetail {
  action: ChatAction;
  /** Which widget; home-made bots may leave it out ("custom"). */
  provider?: string;
  email?: string;
}

export function captureChat(
  track: (name: string, props: Props) => void,
  identify: (email: string) => void,
): void {
  on(CHAT_EVENT, ({ detail }: CustomEvent<ChatDetail>) => {
    const { email, ...props } = detail;
    track(EVENT_NAMES.chat, { provider: 'custom', ...props });
    if (isEmail(email)) identify(email!);
  });
}
