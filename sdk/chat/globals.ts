/**
 * The globals of the chat vendors lt-chat.js has adapters for (vendors.ts, second column). lt.js
 * fetches lt-chat.js only once one of them is on the page, so a site without a chat widget
 * makes one request, not two. A list of its own so that lt.js carries the names and not the
 * whole table; test/sdk/chat.test.ts keeps the two in step.
 */
export const CHAT_GLOBALS = ['Intercom', 'drift', 'HubSpotConversations', '$crisp', 'Tawk_API'];
