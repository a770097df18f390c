/**
 * The full story an alert tells, as plain data: who, which company, score and grade, the top
 * reasons with points, the last pages visited, first-touch source and campaign, the owner and why
 * they got the lead, the SLA deadline, and a link to the contact page. Pure: Slack (slack.ts) and
 * email (email.ts) render the same story, each escaping visitors' text for its own format.
 */
import type { ContactView, TimelineItem } from '../api/contact-view';
import type { AlertEvent } from './config';

export interface AlertStory {
  event: AlertEvent;
  headline: string;
  person: string;
  email: string | null;
  title: string | null;
  company: string | null;
  score: number;
  grade: string | null;
  stage: string;
  reasons: { label: string; points: number }[];
  pages: { path: string; title: string | null; at: number }[];
  source: string | null;
  campaign: string | null;
  owner: string | null;
  routing: string | null;
  due_at: number | null;
  link: string | null;
}

const HEADLINES: Record<AlertEvent, string> = {
  mql: 'New MQL',
  sql: 'New SQL',
  sla_breach: 'SLA breached',
};

export const REASONS_SHOWN = 5;
export const PAGES_SHOWN = 5;

interface StoryInput {
  event: AlertEvent;
  contact: ContactView;
  timeline: readonly TimelineItem[];
  owner: string | null;
  routing: string | null;
  due_at: number | null;
  dashboardUrl: string | undefined;
  escalatedFrom?: string | undefined;
}

export function buildStory(input: StoryInput): AlertStory {
  const { contact } = input;
  const person = contact.name ?? contact.email ?? contact.id;
  const reasons = (contact.breakdown as { label?: unknown; decayed?: unknown; points?: unknown }[])
    .map((line) => ({
      label: typeof line.label === 'string' ? line.label : '?',
      points: Math.round(Number(line.decayed ?? line.points) || 0),
    }))
    .filter((line) => line.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
    .slice(0, REASONS_SHOWN);
  const pages = input.timeline
    .filter((item) => item.type === 'page' && item.path)
    .slice(0, PAGES_SHOWN)
    .map((item) => ({ path: item.path!, title: item.title, at: item.ts }));
  const touch = contact.first_touch as { source?: unknown; campaign?: unknown } | null;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const escalation = input.escalatedFrom ? ` (escalated: ${input.escalatedFrom} did not answer)` : '';
  return {
    event: input.event,
    headline: `${HEADLINES[input.event]}: ${person}${contact.company ? ` (${contact.company})` : ''}${escalation}`,
    person,
    email: contact.email,
    title: contact.title,
    company: contact.company,
    score: contact.score,
    grade: contact.grade,
    stage: contact.stage,
    reasons,
    pages,
    source: contact.source ?? text(touch?.source),
    campaign: contact.campaign ?? text(touch?.campaign),
    owner: input.owner,
    routing: input.routing,
    due_at: input.due_at,
    link: input.dashboardUrl
      ? `${input.dashboardUrl.replace(/\/$/, '')}/dashboard/contacts/${encodeURIComponent(contact.id)}`
      : null,
  };
}

/** A UTC time for people: `2026-12-01 10:05 UTC`. */
export const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
