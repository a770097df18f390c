/**
 * Form sign-ups: submitting a form that has an email field identifies the visitor, with traits
 * from the form's named fields. Only the email field and fields whose name says what they are
 * (TRAITS) are read; password, hidden, file and payment-card fields (autocomplete cc-*) are
 * skipped on their type before their value is touched, and a form marked `data-lt-ignore` is
 * not looked at at all.
 */
import { EVENT_NAMES, type Props } from '../../shared/events';
import { on } from '../safe';

/** Something@domain.tld without spaces; the collector checks again. */
export const isEmail = (value: unknown): boolean => /^\S+@\S+\.\S+$/.test(value as string);

/**
 * Trait → pattern for a field's name, lower-cased, everything but letters removed
 * ("First Name", "first_name" and "firstName" are all "firstname"). The first match wins, so
 * company_size comes before company.
 */
const TRAITS: Record<string, RegExp> = {
  company_size: /size|employees/,
  name: /^(full)?name$/,
  first_name: /^f(irst)?name/,
  last_name: /^(l(ast)?|sur)name/,
  company: /^(company|organi)/,
  title: /title|^role/,
  phone: /phone|^tel/,
  country: /country/,
};

export function captureForms(
  track: (name: string, props: Props) => void,
  identify: (email: string, traits: Props) => void,
): void {
  on('submit', ({ target: form }) => {
    if ((form as Element).hasAttribute('data-lt-ignore')) return;
    let email: string | false | undefined;
    const traits: Props = {};
    for (const field of (form as HTMLFormElement).elements as unknown as HTMLInputElement[]) {
      const key = field.name.toLowerCase().replace(/[^a-z]/g, '');
      if (!key || /password|hidden|file|\bcc-/.test(`${field.type} ${field.autocomplete}`)) continue;
      const value = field.value.trim();
      if (/email/.test(field.type + key)) email ||= isEmail(value) && value;
      else
        for (const trait in TRAITS)
          if (value && TRAITS[trait]!.test(key)) {
            traits[trait] = value.slice(0, 200);
            break;
          }
    }
    if (email) {
      // Attributes rather than properties: `form.id` would return an input named "id".
      const attr = (name: string) => (form as Element).getAttribute(name);
      track(EVENT_NAMES.form, { form: attr('id') || attr('name') || (form as HTMLFormElement).action });
      identify(email, traits);
    }
  });
}
