/**
 * Chat-vendor adapters as data: which global holds the vendor's documented client API, how that
 * API takes a listener, and which of its events mean "opened", "message sent" and "email given".
 * Written as a table because five adapters of the same shape cost a fifth of the bytes this way.
 */

/** How a vendor's API registers a listener. */
export const CALL = 0; //     api(event, fn)                 Intercom
export const ON = 1; //       api.on(event, fn)              Drift, HubSpot
export const PUSH = 2; //     api.push(['on', event, fn])    Crisp (an array until the chatbox loads)
export const PROPERTY = 3; // api[event] = fn                tawk.to

/** [provider, global, style, open event, message event, ...email events] ('' = the vendor has none) */
export type Vendor = [string, string, number, string, string, ...string[]];

export const VENDORS: Vendor[] = [
  // Intercom('onShow', fn); Intercom('onUserEmailSupplied', fn) passes no address. The snippet's
  // stub queues the calls until the Messenger boots. Intercom documents no "message sent" callback.
  ['intercom', 'Intercom', CALL, 'onShow', '', 'onUserEmailSupplied'],
  // drift.on(…); emailCapture's payload carries data.email. The snippet's stub queues `on`.
  ['drift', 'drift', ON, 'chatOpen', 'message:sent', 'emailCapture'],
  // window.HubSpotConversations.on(…), present once HubSpot's tracking code has loaded;
  // conversationStarted is the first message; contactAssociated passes no address.
  [
    'hubspot',
    'HubSpotConversations',
    ON,
    'userInteractedWithWidget',
    'conversationStarted',
    'contactAssociated',
  ],
  // $crisp.push(['on', …]); user:email:changed passes the email. Crisp keeps one handler per
  // event: a page that registers its own for these after lt.js replaces ours.
  ['crisp', '$crisp', PUSH, 'chat:opened', 'message:sent', 'user:email:changed'],
  // Tawk_API.onChatMaximized = fn, …; onPrechatSubmit passes [{label, answer}], onOfflineSubmit
  // {name, email, …}. Callbacks the page set earlier are kept and still called.
  [
    'tawk',
    'Tawk_API',
    PROPERTY,
    'onChatMaximized',
    'onChatMessageVisitor',
    'onPrechatSubmit',
    'onOfflineSubmit',
  ],
];
