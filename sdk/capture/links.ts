/**
 * Downloads and outbound links, from clicks anywhere on the page. Middle clicks (auxclick) and
 * ctrl/cmd-clicks count: they open the file or site too; the context-menu button does not.
 * The handler only records: it never prevents or delays the navigation, and events still
 * waiting when the page unloads leave with the pagehide request.
 */
import { EVENT_NAMES } from '../../shared/events';
import { MAX_STRING } from '../../shared/limits';
import { on } from '../safe';

export function captureLinks(track: (name: string, props: { url: string }) => void, downloads: RegExp): void {
  const onClick = (event: MouseEvent) => {
    const link = event.button < 2 && (event.target as Element).closest<HTMLAnchorElement>('a[href]');
    if (!link) return;
    const name =
      link.hasAttribute('download') || downloads.test(link.pathname)
        ? EVENT_NAMES.download
        : link.host && link.origin !== location.origin && EVENT_NAMES.outbound;
    if (name) track(name, { url: link.href.slice(0, MAX_STRING) });
  };
  for (const type of ['click', 'auxclick']) on(type, onClick);
}
