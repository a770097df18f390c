/**
 * dist/lt-chat.js: chat capture for the script tag, in a file of its own so lt.js stays within
 * its budget. lt.js adds it right after it starts; it reports through the `leadtrail` global
 * that lt.js has installed by then.
 */
import { captureChat } from '../capture/chat';
import { safe } from '../safe';
import type { Tracker } from '../tracker';
import { hookChatWidgets } from '.';

const global = (...args: unknown[]) =>
  (window as unknown as { leadtrail: (...a: unknown[]) => void }).leadtrail(...args);

safe(() => {
  captureChat(
    (name, props) => global('track' satisfies keyof Tracker, name, props),
    (email) => global('identify' satisfies keyof Tracker, email),
  );
  hookChatWidgets();
})();
