/**
 * Profile facts from identify traits: the columns the feed shows (name, company, title). Email
 * addresses and the account key (the company domain) are read by scoring/core/email.ts.
 */
import type { JsonValue, Props } from '../../shared/events';
import { traitValue } from '../scoring/core/compile';
import type { Ruleset } from '../scoring/core/rules';

const str = (value: JsonValue | undefined): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : null;

const first = (traits: Props, keys: string[]): string | null => {
  for (const key of keys) {
    const value = str(traits[key]);
    if (value) return value;
  }
  return null;
};

export function nameOf(traits: Props): string | null {
  const full = first(traits, ['name', 'full_name', 'fullName']);
  if (full) return full;
  const parts = [first(traits, ['first_name', 'firstName']), first(traits, ['last_name', 'lastName'])].filter(
    Boolean,
  );
  return parts.length > 0 ? parts.join(' ') : null;
}

export const companyOf = (traits: Props): string | null =>
  first(traits, ['company', 'company_name', 'companyName', 'organization']) ??
  (traits.company && typeof traits.company === 'object' && !Array.isArray(traits.company)
    ? str((traits.company as Props).name)
    : null);

/**
 * The feed's title column: the ruleset's `trait_aliases.title` (first one present wins), the same
 * lookup the fit rules on `title` use, so a config that adds an alias changes both.
 */
export const titleOf = (rules: Ruleset, traits: Props): string | null =>
  str(traitValue(rules, traits, 'title'));
