import { describe, expect, it } from 'vitest';
import { decideOrder, decidePayment, money, Order, Payment } from '../../../src/domain/index.js';
import { ISO_3166_ALPHA_2_COUNTRIES } from '../../../src/domain/shared/iso-3166.js';
import { ISO_4217_CURRENCIES } from '../../../src/domain/shared/iso-4217.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { anAddress, aPlaceOrder } from '../mothers/order-mother.js';
import { aRequestPayment } from '../mothers/payment-mother.js';

const orders = deciderSpec(Order, decideOrder);
const payments = deciderSpec(Payment, decidePayment);

describe('ISO 4217 currencies and ISO 3166-1 countries, enforced by the domain for every caller', () => {
  it('holds the active currency codes, funds and X codes, and none withdrawn', () => {
    for (const code of ['EUR', 'USD', 'GBP', 'JPY', 'CHF', 'XCG', 'SLE', 'VED', 'ZWG', 'CLF', 'XAU', 'XDR']) expect(ISO_4217_CURRENCIES.has(code), code).toBe(true);
    for (const code of ['HRK', 'SLL', 'ZWL', 'DEM', 'FRF', 'ANG', 'BGN', 'EUE', 'eur', 'XEU']) expect(ISO_4217_CURRENCIES.has(code), code).toBe(false);
    expect(ISO_4217_CURRENCIES.size).toBe(178);
  });

  it('holds the 249 officially assigned country codes, and no reserved or user-assigned one', () => {
    expect(ISO_3166_ALPHA_2_COUNTRIES.size).toBe(249);
    for (const code of ['GB', 'PT', 'US', 'DE', 'SS', 'CW', 'SX', 'BQ', 'AX', 'PS', 'TW']) expect(ISO_3166_ALPHA_2_COUNTRIES.has(code), code).toBe(true);
    for (const code of ['UK', 'EU', 'AN', 'YU', 'CS', 'XK', 'ZZ', 'AA', 'QM', 'gb']) expect(ISO_3166_ALPHA_2_COUNTRIES.has(code), code).toBe(false);
  });

  it.each(['EUE', 'HRK', 'ABC'])('refuses to place an order in %s, naming the field', (currency) => {
    const error = orders.given([]).when(aPlaceOrder({ currency })).thenFailsWith('ORDER.INVALID_CURRENCY');
    expect(error.details).toEqual({ field: 'currency' });
  });

  it.each(['UK', 'XK', 'ZZ', 'gb'])('refuses to ship an order to country %s, naming the field', (country) => {
    const error = orders.given([]).when(aPlaceOrder({ shippingAddress: { ...anAddress(), country } })).thenFailsWith('ORDER.INVALID_COUNTRY');
    expect(error.details).toEqual({ field: 'shippingAddress.country' });
    expect(error.message).toContain('ISO 3166-1 alpha-2');
  });

  it('refuses a payment in a currency that is not an active ISO 4217 code, naming the field', () => {
    const error = payments.given([]).when(aRequestPayment({ currency: 'ZWL' })).thenFailsWith('MONEY.INVALID_CURRENCY');
    expect(error.details).toEqual({ field: 'currency' });
    expect(money(100, 'CHF').isOk()).toBe(true);
  });
});
