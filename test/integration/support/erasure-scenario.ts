import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { CommandContext } from '../../../src/application/commands/command-executor.js';
import { ERASED } from '../../../src/domain/index.js';
import type { App } from '../../../src/main/app.js';
import type { DeadLetterStore } from '../../../src/application/ports/dead-letter-sink.js';

/** One data subject's personal values, each unique to the run so that a scan finds nothing else. */
export const subjectValues = () => {
  const tag = randomUUID().slice(0, 8);
  return {
    customerId: `gdpr-${tag}`,
    orderId: `gdpr-order-${tag}`,
    name: `Zelda Quintessa ${tag}`,
    email: `zelda.${tag}@example.org`,
    address: `77 Wistful Lane ${tag}, Bristol`,
    note: `prefers calls after six ${tag}`,
    line1: `88 Marigold Court ${tag}`,
    city: `Quillbury ${tag}`,
    postalCode: `QB${tag}`,
  };
};
export type SubjectValues = ReturnType<typeof subjectValues>;

/** What must not be left anywhere once the subject is erased. */
export const plaintextOf = (v: SubjectValues): string[] => [v.name, v.email, v.address, v.note, v.line1, v.city, v.postalCode];

const context: CommandContext = { metadata: { correlationId: 'gdpr-test', causationId: null, actor: 'test' } };

const stateOf = async (app: App, type: string, id: string): Promise<Record<string, unknown>> => {
  const view = await app.temporal.aggregateAsOf(type, id);
  if (view.isErr()) throw new Error(view.error.message);
  return view.value.state as Record<string, unknown>;
};

/** Registers the subject, records a contact, places an order, dead-letters its creation; checks each reads in the clear. */
export const recordSubject = async (app: App, deadLetters: DeadLetterStore, v: SubjectValues): Promise<void> => {
  const ok = (result: { isOk(): boolean }) => expect(result.isOk(), JSON.stringify(result)).toBe(true);
  ok(await app.customers.handle({ type: 'RegisterCustomer', customerId: v.customerId, personal: { name: v.name, email: v.email, address: v.address } }, context));
  ok(await app.customers.handle({ type: 'RecordSupportInteraction', customerId: v.customerId, channel: 'PHONE', summary: v.note, agent: 'bob' }, context));
  ok(await app.inventory.handle({ type: 'ReceiveStock', sku: `SKU-${v.customerId}`, quantity: 5 }, context));
  const shippingAddress = { line1: v.line1, city: v.city, postalCode: v.postalCode, country: 'GB' };
  ok(await app.orders.handle({ type: 'PlaceOrder', orderId: v.orderId, customerId: v.customerId, currency: 'EUR', lines: [{ sku: `SKU-${v.customerId}`, quantity: 1, unitPrice: 500 }], shippingAddress }, context));
  const [created] = await app.eventStore.readStream(`Order-${v.orderId}`, { toVersion: 1 });
  if (created === undefined) throw new Error('the order has no events');
  await deadLetters.put([{ event: created, code: 'PUBLISH.REJECTED_BY_BUS', message: 'refused in a test', busErrorCode: 'MalformedDetail', deadLetteredAt: new Date().toISOString() }]);
  await app.catchUp();

  expect(await stateOf(app, 'customer', v.customerId)).toMatchObject({ personal: { name: v.name, email: v.email, address: v.address } });
  expect(await stateOf(app, 'order', v.orderId)).toMatchObject({ shippingAddress });
  expect((await app.orderQueries.supportHistory(v.customerId)).map((entry) => entry.summary)).toContain(`PHONE with bob: ${v.note}`);
  expect((await deadLetters.get(created.eventId))?.event.data).toMatchObject({ shippingAddress });
};

/** Erases the subject and checks every read path shows the fields erased. */
export const eraseSubject = async (app: App, deadLetters: DeadLetterStore, v: SubjectValues): Promise<void> => {
  const erased = await app.erasure.erase(v.customerId, context);
  expect(erased.isOk(), JSON.stringify(erased)).toBe(true);
  const again = await app.erasure.erase(v.customerId, context);
  expect(again.isErr() && again.error.code).toBe('CUSTOMER.ALREADY_ERASED');
  const unknown = await app.erasure.erase(`nobody-${v.customerId}`, context);
  expect(unknown.isErr() && unknown.error.code).toBe('CUSTOMER.NOT_FOUND');
  await app.catchUp();

  expect(await stateOf(app, 'customer', v.customerId)).toMatchObject({ personal: null, erasedAt: expect.any(String) });
  expect(await stateOf(app, 'order', v.orderId)).toMatchObject({ shippingAddress: { line1: ERASED, city: ERASED, postalCode: ERASED, country: 'GB' } });
  const trail = await app.temporal.auditTrail('customer', v.customerId);
  expect(trail.isOk() && trail.value.events[0]?.data).toEqual({ personal: { name: ERASED, email: ERASED, address: ERASED } });
  const contacts = (await app.orderQueries.supportHistory(v.customerId)).filter((entry) => entry.kind === 'CONTACT');
  expect(contacts.map((entry) => entry.summary)).toEqual([ERASED]);
  const [letter] = (await deadLetters.list(100)).filter((l) => l.event.streamId === `Order-${v.orderId}`);
  expect(letter?.event.data).toMatchObject({ shippingAddress: { line1: ERASED } });
  // The hash chain is over ciphertext: erasing the key leaves every stored byte, and so every chain, as it was.
  for (const streamId of [`Customer-${v.customerId}`, `Order-${v.orderId}`]) {
    const report = await app.audit.verifyStream(streamId);
    expect(report.verified, `${streamId} verifies after erasure`).toBe(true);
    expect(report.events).toBeGreaterThan(0);
  }
};

/** The values of `secrets` found in `text`. */
export const found = (text: string, secrets: readonly string[]): string[] => secrets.filter((secret) => text.includes(secret));
