/**
 * Email addresses as scoring and ingest both read them: the domain, whether it is a free-mail
 * provider, and the company domain that keys an account. One module, so the fit rules'
 * `email: free | business` and the accounts (`contacts.domain`) can never disagree.
 */
import { DOMAINS as FREE_MAIL_DOMAINS } from 'free-email-domains-list';

export const isEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

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
