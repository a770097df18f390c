/**
 * Lifecycle stages, in order. Automatic transitions only move forward along STAGE_ORDER;
 * `recycled` and `disqualified` are side exits that only sales (the API) can choose.
 */
export const STAGES = [
  'visitor',
  'lead',
  'mql',
  'sal',
  'sql',
  'opportunity',
  'customer',
  'recycled',
  'disqualified',
] as const;

export type Stage = (typeof STAGES)[number];

/** Forward order used by automatic moves. Side exits rank with `lead`: a recycled lead can become an MQL again. */
export const STAGE_RANK: Readonly<Record<Stage, number>> = {
  visitor: 0,
  lead: 1,
  recycled: 1,
  disqualified: 1,
  mql: 2,
  sal: 3,
  sql: 4,
  opportunity: 5,
  customer: 6,
};

/** Moves sales may make through `POST /api/contacts/:id/stage`. */
export const SALES_MOVES = ['sal', 'recycled', 'sql', 'disqualified', 'opportunity', 'customer'] as const;
export type SalesMove = (typeof SALES_MOVES)[number];

export const isStage = (value: unknown): value is Stage =>
  typeof value === 'string' && (STAGES as readonly string[]).includes(value);
