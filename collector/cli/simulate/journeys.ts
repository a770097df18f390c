/**
 * The visitor journeys: who comes, from where, and what they do, session by session. Each
 * journey is a small script over the demo site's pages; together, weighted, they make the
 * traffic of a small B2B site — many readers who leave, fewer sign-ups, a handful of MQLs and
 * demo requests, a job seeker, a crawler.
 */
import { crawlerAgent, personAgent } from './agents';
import { drawPerson, type Person, type Profile } from './people';
import type { Action, Step } from './plan';
import type { Random } from './random';
import { BLOG_POSTS, type PageKey } from './site-map';
import { type Source, type SourceKey, sourceFrom } from './sources';

export const JOURNEYS = {
  reader: { weight: 44, label: 'read a post and left' },
  pricing_browser: { weight: 14, label: 'looked at pricing, stayed anonymous' },
  chat_curious: { weight: 5, label: 'asked the chat a question' },
  subscriber: { weight: 9, label: 'signed up for the newsletter' },
  downloader: { weight: 9, label: 'downloaded the whitepaper' },
  evaluator: { weight: 7, label: 'came back to pricing (MQL material)' },
  demo_request: { weight: 4, label: 'requested a demo (SQL)' },
  job_seeker: { weight: 5, label: 'job seeker on careers' },
  bot: { weight: 3, label: 'crawler' },
} as const;

export type JourneyKind = keyof typeof JOURNEYS;
export const JOURNEY_KINDS = Object.keys(JOURNEYS) as JourneyKind[];

export interface SessionDraft {
  source: Source;
  steps: Step[];
}

export interface JourneyDraft {
  userAgent: string;
  person?: Person;
  sessions: SessionDraft[];
}

const SECOND = 1000;

const QUESTIONS = [
  'Do you support BigQuery as a destination?',
  'How does CDC from Postgres work?',
  'Can we run the data plane in our own VPC?',
  'What happens when a column is renamed upstream?',
];

/** Pages and actions in order, with human pauses: reading time before a page, typing before an action. */
function session(rng: Random, source: Source, items: (PageKey | Action | false)[], pace = 1): SessionDraft {
  const steps: Step[] = [];
  for (const item of items) {
    if (item === false) continue;
    const action: Action = typeof item === 'string' ? { type: 'page', page: item } : item;
    const pause = action.type === 'page' ? rng.int(20, 150) : rng.int(5, 45);
    steps.push({ action, wait: steps.length === 0 ? 0 : Math.round(pause * SECOND * pace) });
  }
  return { source, steps };
}

const from = (rng: Random, weights: readonly (readonly [SourceKey, number])[]) => sourceFrom(rng, weights);
const person = (rng: Random, weights: readonly (readonly [Profile, number])[]) =>
  drawPerson(rng, rng.weighted(weights));
const otherPost = (rng: Random, not: PageKey) => rng.pick(BLOG_POSTS.filter((p) => p !== not));
const chat = (text: string, email?: string): Action =>
  email ? { type: 'chat', action: 'email', text, email } : { type: 'chat', action: 'message', text };
const CHAT_OPEN: Action = { type: 'chat', action: 'open', text: '' };

type Builder = (rng: Random) => JourneyDraft;

const builders: Record<JourneyKind, Builder> = {
  reader(rng) {
    const source = from(rng, [
      ['google', 50],
      ['google_ads', 10],
      ['linkedin', 10],
      ['newsletter', 12],
      ['partner', 8],
      ['direct', 10],
    ]);
    const post = rng.pick(BLOG_POSTS);
    const more = rng.chance(0.35) && (rng.chance(0.5) ? 'blog' : otherPost(rng, post));
    return {
      userAgent: personAgent(rng, 0.2),
      sessions: [session(rng, source, [post, more, rng.chance(0.12) && 'home'])],
    };
  },

  pricing_browser(rng) {
    const sessions = [
      session(
        rng,
        from(rng, [
          ['google_ads', 40],
          ['direct', 25],
          ['partner', 20],
          ['google', 15],
        ]),
        ['home', rng.chance(0.7) && 'features', 'pricing'],
      ),
    ];
    if (rng.chance(0.3))
      sessions.push(session(rng, from(rng, [['direct', 1]]), ['pricing', rng.chance(0.5) && 'features']));
    return { userAgent: personAgent(rng), sessions };
  },

  chat_curious(rng) {
    const source = from(rng, [
      ['direct', 35],
      ['google', 35],
      ['google_ads', 15],
      ['partner', 15],
    ]);
    const items: (PageKey | Action | false)[] = [
      rng.pick<PageKey>(['home', 'pricing', 'features']),
      CHAT_OPEN,
      chat(rng.pick(QUESTIONS)),
      rng.chance(0.4) && chat('And how is pricing calculated?'),
      rng.chance(0.5) && 'pricing',
    ];
    return { userAgent: personAgent(rng), sessions: [session(rng, source, items)] };
  },

  subscriber(rng) {
    const who = person(rng, [
      ['practitioner', 55],
      ['leader', 15],
      ['personal', 30],
    ]);
    const post = rng.pick(BLOG_POSTS);
    const first = from(rng, [
      ['google', 40],
      ['linkedin', 20],
      ['partner', 15],
      ['direct', 25],
    ]);
    const sessions = [
      session(rng, first, [
        post,
        rng.chance(0.5) && otherPost(rng, post),
        { type: 'form', form: 'newsletter' },
      ]),
    ];
    if (rng.chance(0.35)) sessions.push(session(rng, from(rng, [['newsletter', 1]]), [rng.pick(BLOG_POSTS)]));
    return { userAgent: personAgent(rng, 0.1), person: who, sessions };
  },

  downloader(rng) {
    const who = person(rng, [
      ['practitioner', 60],
      ['leader', 25],
      ['personal', 15],
    ]);
    const source = from(rng, [
      ['linkedin_ads', 50],
      ['google_ads', 25],
      ['partner', 15],
      ['google', 10],
    ]);
    const items: (PageKey | Action | false)[] = [
      rng.chance(0.3) && 'postDrift',
      'whitepaper',
      { type: 'form', form: 'whitepaper' },
      { type: 'download' },
      rng.chance(0.4) && rng.pick(BLOG_POSTS),
    ];
    return { userAgent: personAgent(rng), person: who, sessions: [session(rng, source, items)] };
  },

  evaluator(rng) {
    const who = person(rng, [
      ['leader', 80],
      ['practitioner', 20],
    ]);
    const sessions = [
      session(
        rng,
        from(rng, [
          ['linkedin_ads', 45],
          ['google_ads', 35],
          ['partner', 20],
        ]),
        [
          'whitepaper',
          { type: 'form', form: 'whitepaper' },
          { type: 'download' },
          rng.chance(0.5) && 'postDrift',
        ],
      ),
      session(rng, from(rng, [['newsletter', 1]]), [rng.pick(BLOG_POSTS), 'pricing', 'features']),
      session(rng, from(rng, [['direct', 1]]), [
        'pricing',
        CHAT_OPEN,
        chat('What does Business cost for about 120M rows a month?'),
        rng.chance(0.5) && 'features',
      ]),
    ];
    if (rng.chance(0.3)) sessions.push(session(rng, from(rng, [['direct', 1]]), ['home', 'pricing']));
    return { userAgent: personAgent(rng), person: who, sessions };
  },

  demo_request(rng) {
    const who = person(rng, [
      ['leader', 85],
      ['practitioner', 15],
    ]);
    const sessions: SessionDraft[] = [];
    if (rng.chance(0.5)) sessions.push(session(rng, from(rng, [['google', 1]]), [rng.pick(BLOG_POSTS)]));
    sessions.push(
      session(
        rng,
        from(rng, [
          ['google_ads', 40],
          ['partner', 30],
          ['linkedin_ads', 30],
        ]),
        ['home', 'features', 'pricing'],
      ),
    );
    const viaChat = rng.chance(0.4);
    sessions.push(
      session(
        rng,
        from(rng, [
          ['direct', 60],
          ['newsletter', 40],
        ]),
        [
          'pricing',
          viaChat && CHAT_OPEN,
          viaChat && chat('Can I talk to someone about the Business plan?'),
          viaChat && chat(`Sure, it's ${who.email}`, who.email),
          'demo',
          {
            type: 'demo',
            useCase: 'Postgres and Salesforce into Snowflake, drift alerts for finance models',
          },
        ],
      ),
    );
    return { userAgent: personAgent(rng), person: who, sessions };
  },

  job_seeker(rng) {
    const who = person(rng, [
      ['junior', 60],
      ['personal', 40],
    ]);
    const subscribes = rng.chance(0.35);
    const sessions = [
      session(
        rng,
        from(rng, [
          ['linkedin', 60],
          ['google', 40],
        ]),
        [
          'careers',
          rng.chance(0.6) && 'blog',
          rng.chance(0.5) && rng.pick(BLOG_POSTS),
          rng.chance(0.4) && 'careers',
          subscribes && { type: 'form', form: 'newsletter' },
        ],
      ),
    ];
    if (rng.chance(0.3)) sessions.push(session(rng, from(rng, [['direct', 1]]), ['careers']));
    return { userAgent: personAgent(rng, 0.3), ...(subscribes ? { person: who } : {}), sessions };
  },

  bot(rng) {
    const all: PageKey[] = [
      'home',
      'features',
      'pricing',
      'blog',
      ...BLOG_POSTS,
      'careers',
      'whitepaper',
      'demo',
    ];
    const pages = rng.shuffle(all).slice(0, rng.int(6, all.length));
    // Crawlers do not read: a page every second or two.
    return {
      userAgent: crawlerAgent(rng),
      sessions: [session(rng, from(rng, [['direct', 1]]), pages, 0.02)],
    };
  },
};

export const draftJourney = (kind: JourneyKind, rng: Random): JourneyDraft => builders[kind](rng);
