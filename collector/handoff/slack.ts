/**
 * An alert as a Slack incoming-webhook message (Block Kit), with a plain `text` fallback for
 * notifications. Everything a visitor typed goes through `mrkdwn`, which escapes &, < and > (so
 * `<!channel>` or a fake link cannot be smuggled in) and neutralises Slack's formatting marks.
 */
import { type AlertStory, when } from './story';

/** Slack's limits: header text 150 characters, section text 3,000. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Visitor text made inert for mrkdwn: entities for &, <, >, and formatting marks broken up. */
export function mrkdwn(text: string): string {
  return cut(text, 500)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_~`])/g, '\u200b$1\u200b');
}

export function slackMessage(story: AlertStory, memberId?: string): Record<string, unknown> {
  const who = [
    `*${mrkdwn(story.person)}*`,
    story.title ? mrkdwn(story.title) : null,
    story.company ? `at *${mrkdwn(story.company)}*` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const facts = [
    `*Score* ${story.score}${story.grade ? ` (grade ${mrkdwn(story.grade)})` : ''} · *Stage* ${mrkdwn(story.stage)}`,
    story.email ? `*Email* ${mrkdwn(story.email)}` : null,
    `*First touch* ${story.source ? mrkdwn(story.source) : 'direct'}${story.campaign ? ` / ${mrkdwn(story.campaign)}` : ''}`,
    story.owner ? `*Owner* ${memberId ? `<@${memberId}>` : mrkdwn(story.owner)}` : '*Owner* nobody yet',
    story.routing ? `_${mrkdwn(story.routing)}_` : null,
    story.due_at ? `*Answer by* ${when(story.due_at)}` : null,
  ].filter(Boolean);
  const reasons = story.reasons.map((r) => `• ${r.points > 0 ? '+' : ''}${r.points} ${mrkdwn(r.label)}`);
  const pages = story.pages.map(
    (p) => `• ${when(p.at)} ${mrkdwn(p.path)}${p.title ? ` — ${mrkdwn(p.title)}` : ''}`,
  );
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(story.headline, HEADER_MAX) } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(`${who}\n${facts.join('\n')}`, SECTION_MAX) } },
  ];
  if (reasons.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`*Why*\n${reasons.join('\n')}`, SECTION_MAX) },
    });
  if (pages.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`*Last pages*\n${pages.join('\n')}`, SECTION_MAX) },
    });
  if (story.link)
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open contact' }, url: story.link }],
    });
  return { text: cut(story.headline, HEADER_MAX), blocks };
}
