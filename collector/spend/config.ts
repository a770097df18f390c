/**
 * The `spend` section of the config file: the one currency reports are in, the exchange rates
 * for rows in any other currency (never guessed: a row in a currency without a rate is refused),
 * and the customer lifespan that customer lifetime value is computed with.
 */
import { z } from 'zod';

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (code: string): boolean => KNOWN.has(code);

const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR')
  .refine(isCurrency, 'is not an ISO 4217 currency');

export const spendConfigSchema = z
  .strictObject({
    /** The reporting currency: every cost is shown in it. */
    currency: currency.default('USD'),
    /** 1 unit of the key currency = this many units of `currency`, e.g. {"EUR": 1.08} with USD. */
    rates: z.record(currency, z.number().positive('must be a positive number').finite()).default({}),
    /** Average months a customer stays, for CLV = average customer value × lifespan. */
    customer_lifespan_months: z.number().positive().max(1200).nullable().default(null),
  })
  .default({ currency: 'USD', rates: {}, customer_lifespan_months: null });

export type SpendConfig = z.output<typeof spendConfigSchema>;

/** The rate that turns `code` into the reporting currency, or null when none is configured. */
export function rateOf(config: SpendConfig, code: string): number | null {
  if (code === config.currency) return 1;
  return config.rates[code] ?? null;
}
