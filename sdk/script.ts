/**
 * The script-tag build (dist/lt.js): options from the tag's data-* attributes, the tracker,
 * the `leadtrail` global, and the calls the queue stub kept before this file loaded, replayed
 * in order:
 *
 *   <script>window.leadtrail=window.leadtrail||function(){(leadtrail.q=leadtrail.q||[]).push(arguments)}</script>
 *   <script async src="https://collector.example.com/lt.js" data-site="pk_live_xxx"></script>
 *
 * Both call styles work afterwards: leadtrail('track', 'signup') and leadtrail.track('signup').
 */
import { safe } from './safe';
import { createTracker, type Tracker } from './tracker';

type Global = ((method: keyof Tracker, ...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };

safe(() => {
  const w = window as unknown as { leadtrail?: Global };
  const script = document.currentScript as HTMLScriptElement;
  const data = script.dataset;
  const tracker = createTracker({
    ...(data as { site: string }),
    endpoint: data.api || new URL(script.src).origin,
    forms: data.forms !== 'off',
    respectDnt: 'respectDnt' in data,
    allowLocalhost: 'allowLocalhost' in data,
  });
  const queued = w.leadtrail?.q || [];
  const global = (method: keyof Tracker, ...args: unknown[]) =>
    (tracker[method] as (...a: unknown[]) => void)?.(...args);
  w.leadtrail = Object.assign(global, tracker);
  for (const args of queued) global(...(args as [keyof Tracker]));

  // The chat adapters are a second file (lt-chat.js), fetched asynchronously and cached, so this
  // one stays within its budget. (Fetching it only when a chat vendor is on the page costs lt.js
  // 127 B min+gzip, which its budget does not have.)
  document.head.append(
    Object.assign(document.createElement('script'), { src: new URL('lt-chat.js', script.src) }),
  );
})();
