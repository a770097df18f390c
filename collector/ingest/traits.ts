/**
 * Profile facts from identify traits: the columns the feed shows (name, company, title) and the
 * account key (the company email domain; free-mail domains have no account).
 */
import { isFreeEmail } from 'free-email-domains-list';
import { fitsBytes } from '../../shared/bytes';
import type { JsonValue, Props } from '../../shared/events';
import { MAX_EMAIL_BYTES } from '../../shared/limits';

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

export const titleOf = (traits: Props): string | null =>
  first(traits, ['title', 'job_title', 'jobTitle', 'role']);

/**
 * `local@domain.tld`: one `@`, no whitespace, a dot inside the domain. Written as index checks
 * rather than a pattern with nested quantifiers, which backtracks for seconds on a long string
 * of dots; and the length is bounded before anything looks at the characters.
 */
export function isEmail(value: string): boolean {
  if (!fitsBytes(value, MAX_EMAIL_BYTES)) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@') || /\s/.test(value)) return false;
  const domain = value.slice(at + 1);
  return domain.slice(1, -1).includes('.');
}

export const normaliseEmail = (value: string): string => value.trim().toLowerCase();

export const emailDomain = (email: string): string | null => {
  const at = email.lastIndexOf('@');
  return at > 0 ? email.slice(at + 1).toLowerCase() : null;
};

export const isFreeMailDomain = (domain: string): boolean => isFreeEmail(`x@${domain}`);

/** The account an email belongs to: its domain, unless that is a free-mail provider. */
export function companyDomain(email: string | null): string | null {
  if (!email) return null;
  const domain = emailDomain(email);
  return domain && !isFreeMailDomain(domain) ? domain : null;
}
