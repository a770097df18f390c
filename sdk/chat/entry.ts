/**
 * dist/lt-chat.js: the chat vendors' adapters for the script tag, in a file of its own so lt.js
 * stays within its budget. lt.js adds it once a vendor's API is on the page (chat/globals.ts).
 * The adapters raise the leadtrail:chat event, which the tracker in lt.js records.
 */
import { safe } from '../safe';
import { hookChatWidgets } from '.';

safe(hookChatWidgets)();
