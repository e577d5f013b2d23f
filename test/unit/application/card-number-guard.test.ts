import { describe, expect, it } from 'vitest';
import { refuseCardNumbers, type CardNumberRule } from '../../../src/application/commands/card-number-guard.js';
import { parseGatewayEvent } from '../../../src/application/payments/gateway-event.js';
import { Inventory } from '../../../src/domain/index.js';
import { withCheckDigit } from '../../support/card-number-mother.js';
import { aGatewayEvent } from '../../support/gateway-event-mother.js';
import { context, memoryApp, placeOrder } from '../../support/memory-app.js';

const RULE: CardNumberRule = { inText: 'ORDER.CARD_NUMBER_IN_TEXT', asPaymentMethod: 'ORDER.CARD_NUMBER_REFUSED', gatewayReferences: ['gateway.reference'] };
// Passes Luhn, but no card brand issues numbers starting with 1: a gateway's own reference.
const UNBRANDED = withCheckDigit('123456789012345');

describe('the command handler refuses a card number anywhere in a command, before anything happens to it', () => {
  it.each([
    [{ type: 'PlaceOrder', orderId: '4111111111111111' }, 'orderId', 'ORDER.CARD_NUMBER_IN_TEXT'],
    [{ type: 'PlaceOrder', lines: [{ sku: 'ok' }, { sku: '5500-0000-0000-0004' }] }, 'lines[1].sku', 'ORDER.CARD_NUMBER_IN_TEXT'],
    [{ type: 'PlaceOrder', shippingAddress: { line1: '4111 1111 1111 1111' } }, 'shippingAddress.line1', 'ORDER.CARD_NUMBER_IN_TEXT'],
    [{ type: 'PlaceOrder', lines: [{ quantity: 4111111111111111 }] }, 'lines[0].quantity', 'ORDER.CARD_NUMBER_IN_TEXT'],
    [{ type: 'ShipOrder', carrier: 'DHL', trackingNumber: '４１１１.１１１１.１１１１.１１１１' }, 'trackingNumber', 'ORDER.CARD_NUMBER_IN_TEXT'],
    [{ type: 'ProvidePaymentMethod', paymentMethodToken: 'tok_4111111111111111' }, 'paymentMethodToken', 'ORDER.CARD_NUMBER_REFUSED'],
    [{ type: 'X', notes: { '4111111111111111': 'a key' } }, 'a key of notes', 'ORDER.CARD_NUMBER_IN_TEXT'],
  ])('%j is refused naming %s', (command, field, code) => {
    const refusal = refuseCardNumbers(RULE, command, context());
    expect(refusal).toMatchObject({ code, details: { field } });
    expect(JSON.stringify(refusal)).not.toMatch(/4111|5500/);
  });

  it.each([
    [{ ...context(), metadata: { ...context().metadata, actor: '4111-1111-1111-1111' } }, 'metadata.actor'],
    [{ ...context(), metadata: { ...context().metadata, correlationId: '4111111111111111' } }, 'metadata.correlationId'],
    [{ ...context(), metadata: { ...context().metadata, causationId: 'evt_4111111111111111' } }, 'metadata.causationId'],
    [{ ...context(), idempotencyKey: 'key-4111_1111_1111_1111' }, 'idempotencyKey'],
  ])('refuses a card number in the metadata (%#) as VALIDATION.CARD_NUMBER', (ctx, field) => {
    expect(refuseCardNumbers(RULE, { type: 'DeliverOrder', orderId: 'o-1' }, ctx)).toMatchObject({ code: 'VALIDATION.CARD_NUMBER', details: { field } });
  });

  it("lets a gateway reference through when it passes Luhn but carries no card brand's prefix, and refuses a branded one", () => {
    expect(refuseCardNumbers(RULE, { type: 'CompletePayment', gateway: { reference: UNBRANDED } }, context())).toBeNull();
    expect(refuseCardNumbers(RULE, { type: 'CompletePayment', gateway: { reference: '6011 0009 9013 9424' } }, context())).toMatchObject({ details: { field: 'gateway.reference' } });
    // Elsewhere the same unbranded number is a card number: only the gateway's own fields get the brand rule.
    expect(refuseCardNumbers(RULE, { type: 'CompletePayment', gateway: { error: UNBRANDED } }, context())).toMatchObject({ details: { field: 'gateway.error' } });
  });
});

describe('through the application: refused and never stored, whichever transport sent it', () => {
  it('refuses a SKU that is a card number with INVENTORY.CARD_NUMBER_IN_TEXT and stores nothing', async () => {
    const { app } = await memoryApp();
    const refused = await app.inventory.handle({ type: 'ReceiveStock', sku: '4111 1111 1111 1111', quantity: 1 }, context());
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'INVENTORY.CARD_NUMBER_IN_TEXT', details: { field: 'sku' } });
    expect((await app.repository.load(Inventory, '4111 1111 1111 1111'))._unsafeUnwrap().version).toBe(0);
    await app.close();
  });

  it("completes a payment whose gateway transaction id and reference pass Luhn without a brand's prefix", async () => {
    const { app } = await memoryApp();
    await placeOrder(app, { customerId: 'c-1', orderId: 'o-1', sku: 'SKU-1' });
    (await app.payments.handle({ type: 'RequestPayment', paymentId: 'p-1', orderId: 'o-1', amount: 2000, currency: 'EUR', paymentMethodToken: 'tok_visa' }, context()))._unsafeUnwrap();
    const branded = await app.payments.handle({ type: 'CompletePayment', paymentId: 'p-1', transactionId: 'txn-1', gateway: { status: 'SUCCESS', reference: '4111111111111111' } }, context());
    expect(branded._unsafeUnwrapErr()).toMatchObject({ code: 'PAYMENT.CARD_NUMBER_IN_TEXT', details: { field: 'gateway.reference' } });
    const completed = await app.payments.handle({ type: 'CompletePayment', paymentId: 'p-1', transactionId: UNBRANDED, gateway: { status: 'SUCCESS', reference: UNBRANDED } }, context());
    expect(completed._unsafeUnwrap().eventTypes).toEqual(['PaymentProcessed']);
    await app.close();
  });

  it('reads a webhook the same way: an unbranded reference passes, a branded one anywhere is refused by its path', () => {
    expect(parseGatewayEvent(JSON.stringify(aGatewayEvent({ transactionId: UNBRANDED, reference: UNBRANDED }))).isOk()).toBe(true);
    expect(parseGatewayEvent(JSON.stringify(aGatewayEvent({ reference: '3782 822463 10005' })))._unsafeUnwrapErr()).toEqual([expect.stringMatching(/^\$\.reference contains/)]);
    expect(parseGatewayEvent(JSON.stringify(aGatewayEvent({ failureReason: UNBRANDED })))._unsafeUnwrapErr()).toEqual([expect.stringMatching(/^\$\.failureReason contains/)]);
  });
});
