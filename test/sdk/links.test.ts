// @vitest-environment happy-dom
/**
 * Downloads and outbound links: file extensions (default list or data-downloads), the download
 * attribute, other hosts; middle and ctrl/cmd clicks count; the context menu and internal links
 * do not; the navigation is never prevented.
 */
import { describe, expect, it } from 'vitest';
import { collector, tracker, usePage, wait } from './harness';

usePage('https://site.example/resources');

function link(href: string, attrs: Record<string, string> = {}): HTMLAnchorElement {
  const a = document.createElement('a');
  a.setAttribute('href', href);
  a.innerHTML = '<span>label</span>';
  for (const [k, v] of Object.entries(attrs)) a.setAttribute(k, v);
  document.body.append(a);
  return a;
}

/**
 * Clicks like a person: on the link's inner element, bubbling up. happy-dom follows links, so
 * unless `follow`, the test stops the navigation (after the tracker's capture-phase listener).
 * Returns whether the browser may follow the link.
 */
function click(a: Element, init: MouseEventInit = {}, type = 'click', follow = false): boolean {
  const stop = (event: Event) => event.preventDefault();
  if (!follow) a.addEventListener(type, stop);
  const allowed = a.firstElementChild!.dispatchEvent(
    new MouseEvent(type, { bubbles: true, cancelable: true, ...init }),
  );
  a.removeEventListener(type, stop);
  return allowed;
}

const tracked = () =>
  collector
    .events()
    .filter((e) => e.type === 'track')
    .map((e) => [e.name, e.props?.url]);

describe('downloads', () => {
  it('counts links to files by extension, and links with a download attribute', async () => {
    await tracker();
    click(link('/files/whitepaper.pdf'));
    click(link('https://cdn.example.net/Setup.EXE?v=2'));
    click(link('/export', { download: 'report.csv' }));
    click(link('/docs/intro')); // a page, not a file
    await wait(2000);
    expect(tracked()).toEqual([
      ['download', 'https://site.example/files/whitepaper.pdf'],
      ['download', 'https://cdn.example.net/Setup.EXE?v=2'],
      ['download', 'https://site.example/export'],
    ]);
  });

  it.each(['zip', 'docx', 'xlsx', 'pptx', 'csv', 'txt', 'dmg', 'pkg', 'mp4'])('knows .%s', async (ext) => {
    await tracker();
    click(link(`/f/file.${ext}`));
    await wait(2000);
    expect(tracked()).toEqual([['download', `https://site.example/f/file.${ext}`]]);
  });

  it('uses the extensions given instead (data-downloads)', async () => {
    await tracker({ downloads: 'pdf, epub' });
    click(link('/a.epub'));
    click(link('/a.zip'));
    await wait(2000);
    expect(tracked()).toEqual([['download', 'https://site.example/a.epub']]);
  });
});

describe('outbound links', () => {
  it('counts links to other sites, not internal, mailto or javascript links', async () => {
    await tracker();
    click(link('https://partner.example.org/case-study'));
    click(link('/pricing'));
    click(link('https://site.example/blog'));
    click(link('mailto:sales@site.example'));
    click(link('javascript:void 0'));
    await wait(2000);
    expect(tracked()).toEqual([['outbound', 'https://partner.example.org/case-study']]);
  });
});

describe('how the link is opened', () => {
  it('counts middle clicks and ctrl/cmd-clicks, not the context menu', async () => {
    await tracker();
    const a = link('https://partner.example.org/');
    click(a, { button: 1 }, 'auxclick');
    click(a, { ctrlKey: true });
    click(a, { metaKey: true });
    click(a, { button: 2 }, 'auxclick');
    await wait(2000);
    expect(tracked()).toHaveLength(3);
  });

  it('never prevents or delays the navigation', async () => {
    await tracker();
    const a = link('/files/guide.pdf');
    let defaultPrevented = true;
    document.addEventListener('click', (event) => {
      defaultPrevented = event.defaultPrevented;
    });
    expect(click(a, {}, 'click', true)).toBe(true);
    expect(defaultPrevented).toBe(false);
  });

  it('still counts when the page stops the click from propagating', async () => {
    await tracker();
    const a = link('/files/guide.pdf');
    a.addEventListener('click', (event) => event.stopPropagation());
    click(a);
    await wait(2000);
    expect(tracked()).toHaveLength(1);
  });
});
