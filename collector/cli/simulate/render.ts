/**
 * A visitor plan → the wire events the tracker would have sent for it (shared/events.ts), one
 * batch per session: page views with referrer and campaign, the pricing flag, downloads, chat,
 * form sign-ups (form_submit + identify) and the demo request (identify + demo_requested).
 */
import { type Batch, EVENT_NAMES, PRICING_FLAG, type WireEvent } from '../../../shared/events';
import { MAX_EVENTS_PER_BATCH } from '../../../shared/limits';
import type { Person } from './people';
import type { Action, SessionPlan, VisitorPlan } from './plan';
import { createRandom } from './random';
import { isPricingPath, PAGES, WHITEPAPER_PDF } from './site-map';
import { campaignQuery } from './sources';

export interface RenderOptions {
  /** The collector's base URL, which also serves the demo site. */
  baseUrl: string;
  site: string;
  /** Session start times are counted back from this instant (ms). */
  now: number;
}

/** Traits a form with these fields gives the tracker. */
function traitsOf(person: Person, fields: readonly (keyof Person)[]): Record<string, string> {
  const traits: Record<string, string> = {};
  for (const field of fields) {
    const value = person[field];
    if (value && field !== 'email') traits[field] = value;
  }
  return traits;
}

const FORM_FIELDS = {
  newsletter: ['email'],
  whitepaper: ['email', 'name', 'company', 'title', 'company_size'],
  demo: ['email', 'name', 'company', 'title', 'company_size'],
} as const satisfies Record<string, readonly (keyof Person)[]>;

/** The id attributes of the demo site's forms. */
const FORM_IDS = { newsletter: 'newsletter', whitepaper: 'whitepaper-form' } as const;

export function renderVisitor(plan: VisitorPlan, options: RenderOptions): Batch[] {
  const base = options.baseUrl.replace(/\/$/, '');
  const ids = createRandom(plan.idSeed);
  const batches: Batch[] = [];
  for (const session of plan.sessions) {
    const events = renderSession(plan, session, base, options.now, () => ids.id());
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH) {
      batches.push({ site: options.site, events: events.slice(i, i + MAX_EVENTS_PER_BATCH) });
    }
  }
  return batches;
}

function renderSession(
  plan: VisitorPlan,
  session: SessionPlan,
  base: string,
  now: number,
  nextId: () => string,
): WireEvent[] {
  const events: WireEvent[] = [];
  const campaign = session.source.campaign;
  let ts = now - session.startsBefore;
  let url: string | undefined;
  let previous: string | undefined = session.source.ref;

  const common = () => ({
    id: nextId(),
    ts,
    anon: plan.anon,
    session: session.id,
    ...(url ? { url } : {}),
    ...(campaign ? { campaign } : {}),
  });
  const track = (name: string, props: WireEvent['props']): WireEvent => ({
    ...common(),
    type: 'track',
    name,
    props,
  });
  const identify = (person: Person, fields: readonly (keyof Person)[]): WireEvent => ({
    ...common(),
    type: 'identify',
    user: person.email,
    traits: traitsOf(person, fields),
  });
  const need = (action: Action): Person => {
    if (!plan.person)
      throw new Error(`visitor ${plan.index} (${plan.kind}) has no person for ${action.type}`);
    return plan.person;
  };

  for (const step of session.steps) {
    ts += step.wait;
    const action = step.action;
    switch (action.type) {
      case 'page': {
        const page = PAGES[action.page];
        // Only the landing page carries the campaign in its query string, as an ad link does.
        url = `${base}${page.path}${events.length === 0 ? campaignQuery(campaign) : ''}`;
        events.push({
          ...common(),
          type: 'page',
          title: page.title,
          ...(previous ? { ref: previous } : {}),
          props: isPricingPath(page.path) ? { [PRICING_FLAG]: true } : {},
        });
        previous = url;
        break;
      }
      case 'download':
        events.push(track(EVENT_NAMES.download, { url: `${base}${WHITEPAPER_PDF}` }));
        break;
      case 'chat':
        events.push(track(EVENT_NAMES.chat, { action: action.action, provider: 'custom' }));
        if (action.email) events.push(identify({ ...need(action), email: action.email }, ['email']));
        break;
      case 'form': {
        const person = need(action);
        // The tracker names a form by its id attribute.
        events.push(track(EVENT_NAMES.form, { form: FORM_IDS[action.form] }));
        events.push(identify(person, FORM_FIELDS[action.form]));
        break;
      }
      case 'demo': {
        const person = need(action);
        events.push(identify(person, FORM_FIELDS.demo));
        events.push(
          track('demo_requested', {
            form: 'demo',
            company_size: person.company_size ?? null,
            use_case: action.useCase,
          }),
        );
        break;
      }
    }
  }
  return events;
}
