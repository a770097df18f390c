/**
 * The product's default ruleset (the README's scoring table), as the same JSON a config file's `scoring` holds. Every field of a
 * config's `scoring` that is left out takes its value from here, so `{ "mql_threshold": 60 }`
 * keeps these rules and only moves the threshold.
 */
import type { EngagementRuleInput, FitRuleInput, GradesInput, TemperatureInput } from './rule-schemas';
import type { ScenarioInput } from './scenario-schema';

const TITLE_EXECUTIVE =
  '\\b(chief|c[a-z]o|ciso|founder|co-founder|president|vp|svp|evp|vice[ -]president|director|head of)\\b';

export interface RulesetDefaults {
  version: number;
  mql_threshold: number;
  account_threshold: number;
  half_life_days: number | null;
  hand_raise: string[];
  bant: string[];
  trait_aliases: Record<string, string[]>;
  engagement: EngagementRuleInput[];
  fit: FitRuleInput[];
  grades: GradesInput;
  temperature: TemperatureInput;
  scenarios: ScenarioInput[];
}

export const DEFAULT_RULESET_INPUT: RulesetDefaults = {
  version: 1,
  mql_threshold: 50,
  account_threshold: 100,
  half_life_days: 30,
  hand_raise: ['demo_requested', 'contact_sales', 'trial_started', 'meeting_booked'],
  bant: ['budget', 'authority', 'need', 'timeline'],
  trait_aliases: {
    title: ['title', 'job_title', 'jobTitle', 'role'],
    company_size: [
      'company_size',
      'companySize',
      'employees',
      'employee_count',
      'employeeCount',
      'company.employees',
      'company.size',
      'company.employee_count',
    ],
    industry: ['industry', 'company.industry'],
    country: ['country', 'country_code', 'address.country'],
  },
  engagement: [
    { id: 'page_view', label: 'Page view', match: { type: 'page' }, points: 3, cap: { per_day: 15 } },
    {
      id: 'pricing_view',
      label: 'Pricing page view',
      match: { type: 'page', props: { pricing: true } },
      points: 10,
    },
    {
      id: 'pricing_repeat',
      label: 'Second pricing visit within 7 days',
      match: { type: 'page', props: { pricing: true } },
      frequency: { count: 2, within_days: 7, per: 'session' },
      points: 15,
    },
    { id: 'download', label: 'Download', match: { type: 'track', name: 'download' }, points: 10 },
    {
      id: 'chat_open',
      label: 'Chat opened',
      match: { type: 'track', name: 'chat', props: { action: 'open' } },
      points: 5,
    },
    {
      id: 'chat_message',
      label: 'Chat message sent',
      match: { type: 'track', name: 'chat', props: { action: 'message' } },
      points: 8,
    },
    {
      id: 'chat_email',
      label: 'Email given in chat',
      match: { type: 'track', name: 'chat', props: { action: 'email' } },
      points: 10,
    },
    {
      id: 'form_signup',
      label: 'Form sign-up (newsletter, gated content)',
      match: { type: 'track', name: 'form_submit' },
      points: 10,
    },
    {
      id: 'return_visit',
      label: 'Return visit (a new session on another day)',
      match: { visit: 'return' },
      points: 5,
    },
    {
      id: 'frequent_sessions',
      label: '5 sessions in 7 days',
      match: { visit: 'session_start' },
      frequency: { count: 5, within_days: 7 },
      points: 10,
    },
    {
      id: 'careers_page',
      label: 'Careers/jobs page (likely a job seeker)',
      match: { type: 'page', path: ['/careers*', '/jobs*'] },
      points: -10,
    },
  ],
  fit: [
    {
      id: 'title_executive',
      label: 'Title: C-level, VP, Director, Head of',
      group: 'title',
      traits: { title: { matches: TITLE_EXECUTIVE } },
      points: 15,
    },
    {
      id: 'title_manager',
      label: 'Title: Manager',
      group: 'title',
      traits: { title: { matches: '\\bmanager\\b' } },
      points: 5,
    },
    {
      id: 'title_junior',
      label: 'Title: student, intern',
      group: 'title',
      traits: { title: { matches: '\\b(student|intern|internship)\\b' } },
      points: -10,
    },
    {
      id: 'company_size_mid',
      label: 'Company size 50–1000',
      group: 'company_size',
      traits: { company_size: { gte: 50, lte: 1000 } },
      points: 10,
    },
    {
      id: 'company_size_large',
      label: 'Company size > 1000',
      group: 'company_size',
      traits: { company_size: { gt: 1000 } },
      points: 15,
    },
    { id: 'free_mail', label: 'Free-mail domain', group: 'email', email: 'free', points: -10 },
    { id: 'business_mail', label: 'Business email domain', group: 'email', email: 'business', points: 5 },
  ],
  grades: {
    bands: [
      { grade: 'A', min_fit: 25 },
      { grade: 'B', min_fit: 15 },
      { grade: 'C', min_fit: 5 },
    ],
    otherwise: 'D',
  },
  temperature: {
    window_days: 14,
    bands: [
      { label: 'hot', min: 30 },
      { label: 'warm', min: 10 },
    ],
    otherwise: 'cold',
  },
  // The journeys the seed articles describe: what marketing and sales agreed a lead, an MQL and
  // an SQL look like. A rules change that breaks one of these is stopped before it goes live.
  scenarios: [
    {
      name: 'Newsletter reader stays a lead',
      email: 'reader@acme-corp.com',
      events: [
        { type: 'page', path: '/blog/scoring-basics' },
        { type: 'track', name: 'form_submit', props: { form: 'newsletter' } },
        { type: 'page', path: '/blog/lead-lifecycle', day: 10 },
      ],
      expect: { stage: 'lead', max_score: 49 },
    },
    {
      name: 'Pricing-page returner with a business email becomes an MQL',
      email: 'returner@acme-corp.com',
      events: [
        { type: 'page', path: '/' },
        { type: 'page', path: '/pricing', props: { pricing: true } },
        { type: 'page', path: '/pricing', props: { pricing: true }, day: 3 },
      ],
      expect: { stage: 'mql', min_score: 50 },
    },
    {
      name: 'A demo request makes an SQL',
      email: 'buyer@acme-corp.com',
      events: [
        { type: 'page', path: '/demo' },
        { type: 'track', name: 'demo_requested' },
      ],
      expect: { stage: 'sql' },
    },
    {
      name: 'The job seeker on /careers does not become an MQL',
      email: 'applicant@gmail.com',
      events: [
        { type: 'page', path: '/careers' },
        { type: 'page', path: '/careers/engineer' },
        { type: 'page', path: '/pricing', props: { pricing: true } },
        { type: 'page', path: '/jobs/backend', day: 1 },
        { type: 'page', path: '/careers', day: 2 },
      ],
      expect: { stage: 'lead', max_score: 49 },
    },
  ],
};
