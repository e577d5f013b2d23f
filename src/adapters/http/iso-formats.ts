import { ISO_3166_ALPHA_2_COUNTRIES } from '../../domain/shared/iso-3166.js';
import { ISO_4217_CURRENCIES } from '../../domain/shared/iso-4217.js';

/**
 * The domain's ISO lists as JSON-schema formats, so that a request is told about a bad currency or country with
 * every other invalid field at once (400), before the domain would refuse the command (422) for callers that are
 * not HTTP. The domain keeps the lists: money and addresses reach it from the workflow, the CLI and tests too.
 */
export const ISO_FORMATS = {
  'iso-4217': (value: string): boolean => ISO_4217_CURRENCIES.has(value),
  'iso-3166-1-alpha-2': (value: string): boolean => ISO_3166_ALPHA_2_COUNTRIES.has(value),
} as const;

/** What a refused value must be, completing "must be ..." (validation-problems.ts). */
export const ISO_FORMAT_PROBLEMS: Readonly<Record<keyof typeof ISO_FORMATS, string>> = {
  'iso-4217': 'an ISO 4217 currency code such as EUR',
  'iso-3166-1-alpha-2': 'an ISO 3166-1 alpha-2 country code such as GB',
};

export const currencyCode = { type: 'string', format: 'iso-4217', description: 'an active ISO 4217 currency code such as EUR (list one; withdrawn codes are refused)' } as const;
export const countryCode = { type: 'string', format: 'iso-3166-1-alpha-2', description: 'an officially assigned ISO 3166-1 alpha-2 country code such as GB (UK, EU and XK are not)' } as const;
