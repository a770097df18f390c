/**
 * Email addresses as scoring and ingest both read them: the domain, whether it is a free-mail
 * provider, and the company domain that keys an account. One module, so the fit rules'
 * `email: free | business` and the accounts (`contacts.domain`) can never disagree.
 */
import { DOMAINS as FREE_MAIL_DOMAINS } from 'free-email-domains-list';
import { fitsBytes } from '../../../shared/bytes';
import { MAX_EMAIL_BYTES } from '../../../shared/limits';

/**
 * `local@domain.tld`: one `@`, no whitespace, a dot inside the domain. Written as index checks
 * rather than a pattern with nested quantifiers, which backtracked for seconds on a long string
 * of dots; and the length is bounded before anything looks at the characters.
 */
export function isEmail(value: string): boolean {
  if (!fitsBytes(value, MAX_EMAIL_BYTES)) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@') || /\s/.test(value)) return false;
  return value.slice(at + 2, -1).includes('.');
}

export const normaliseEmail = (value: string): string => value.trim().toLowerCase();

/** The part after the last `@`, lowercased; null when there is none. */
export const emailDomain = (email: string): string | null => {
  const at = email.lastIndexOf('@');
  return at > 0 ? email.slice(at + 1).toLowerCase() : null;
};

/**
 * The maintained free-mail list, looked up directly: the package's isFreeEmail() validates the
 * whole address with a long regular expression first, which costs more than scoring the events.
 */
export const isFreeMail = (domain: string): boolean => FREE_MAIL_DOMAINS.has(domain.toLowerCase());

/** The account an email belongs to: its domain, unless that is a free-mail provider. */
export function companyDomain(email: string | null): string | null {
  if (!email) return null;
  const domain = emailDomain(email);
  return domain && !isFreeMail(domain) ? domain : null;
}
