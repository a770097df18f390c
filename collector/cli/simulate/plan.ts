/** The shape of a simulated visitor: who they are, and what they do in each session. */
import type { ChatAction } from '../../../shared/events';
import type { JourneyKind } from './journeys';
import type { Person } from './people';
import type { PageKey } from './site-map';
import type { Source } from './sources';

export type Action =
  | { type: 'page'; page: PageKey }
  /** Click the whitepaper's PDF link on the current page. */
  | { type: 'download' }
  | { type: 'chat'; action: ChatAction; text: string; email?: string }
  /** Submit a form with an email field: the footer newsletter, or the whitepaper form. */
  | { type: 'form'; form: 'newsletter' | 'whitepaper' }
  /** Submit the "Request a demo" form (identify + demo_requested). */
  | { type: 'demo'; useCase: string };

export interface Step {
  action: Action;
  /** Milliseconds after the previous step (reading time, typing time). */
  wait: number;
}

export interface SessionPlan {
  id: string;
  source: Source;
  /** How long before the reference time the session starts, in ms. */
  startsBefore: number;
  steps: Step[];
}

export interface VisitorPlan {
  index: number;
  kind: JourneyKind;
  anon: string;
  userAgent: string;
  person?: Person;
  sessions: SessionPlan[];
  /** Seeds the event ids, so they depend on the seed and the visitor only. */
  idSeed: number;
}
