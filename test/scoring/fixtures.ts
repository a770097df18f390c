/** Builders for the pure scoring core's inputs: events at chosen times, profiles. */

import type { ScoringEvent, ScoringProfile } from '../../collector/scoring/core/events';
import type { Props } from '../../shared/events';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** A fixed "now" at noon UTC, so that hour offsets stay on the intended UTC day. */
export const NOW = Date.UTC(2025, 5, 15, 12);

let counter = 0;
const nextId = () => `e${String(++counter).padStart(6, '0')}`;

type Extra = Partial<ScoringEvent>;

export const page = (ts: number, path = '/', extra: Extra = {}): ScoringEvent => ({
  id: nextId(),
  type: 'page',
  name: null,
  ts,
  session: 's1',
  path,
  props: null,
  traits: null,
  user: null,
  bot: false,
  ...extra,
});

export const pricing = (ts: number, extra: Extra = {}): ScoringEvent =>
  page(ts, '/pricing', { props: { pricing: true }, ...extra });

export const track = (
  ts: number,
  name: string,
  props: Props | null = null,
  extra: Extra = {},
): ScoringEvent => ({
  ...page(ts, '/', extra),
  type: 'track',
  name,
  props,
  ...extra,
});

export const identify = (ts: number, user: string, traits: Props = {}, extra: Extra = {}): ScoringEvent => ({
  ...page(ts, '/', extra),
  type: 'identify',
  user,
  traits,
  ...extra,
});

export const profile = (email: string | null, traits: Props = {}): ScoringProfile => ({
  email,
  user_id: null,
  traits,
});

export const ANON: ScoringProfile = profile(null);
