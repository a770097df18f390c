/**
 * An alert as an email: a plain-text and an HTML part with the same content. Visitors' text is
 * HTML-escaped in the HTML part; the subject is cut short and has no line breaks.
 */
import { type AlertStory, when } from './story';

export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
}

export const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ').slice(0, 200);

/** The story's lines, shared by both parts: [label, value] pairs. */
function facts(story: AlertStory): [string, string][] {
  return [
    ['Who', [story.person, story.title, story.company].filter(Boolean).join(', ')],
    ['Email', story.email ?? '—'],
    ['Score', `${story.score}${story.grade ? ` (grade ${story.grade})` : ''}, stage ${story.stage}`],
    ['First touch', `${story.source ?? 'direct'}${story.campaign ? ` / ${story.campaign}` : ''}`],
    ['Owner', story.owner ?? 'nobody yet'],
    ...(story.routing ? [['Routing', story.routing] as [string, string]] : []),
    ...(story.due_at ? [['Answer by', when(story.due_at)] as [string, string]] : []),
  ];
}

export function alertEmail(story: AlertStory): AlertEmail {
  const lines = facts(story);
  const reasons = story.reasons.map((r) => `${r.points > 0 ? '+' : ''}${r.points} ${r.label}`);
  const pages = story.pages.map((p) => `${when(p.at)} ${p.path}${p.title ? ` — ${p.title}` : ''}`);
  const text = [
    story.headline,
    '',
    ...lines.map(([k, v]) => `${k}: ${v}`),
    '',
    'Why:',
    ...reasons.map((r) => `  ${r}`),
    '',
    'Last pages:',
    ...pages.map((p) => `  ${p}`),
    ...(story.link ? ['', `Open contact: ${story.link}`] : []),
  ].join('\n');
  const list = (items: string[]) =>
    items.length > 0 ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : '<p>—</p>';
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:40em">
<h2>${escapeHtml(story.headline)}</h2>
<table>${lines.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<h3>Why</h3>${list(reasons)}
<h3>Last pages</h3>${list(pages)}
${story.link ? `<p><a href="${escapeHtml(story.link)}">Open contact</a></p>` : ''}
</body></html>`;
  return { subject: oneLine(story.headline), text, html };
}
