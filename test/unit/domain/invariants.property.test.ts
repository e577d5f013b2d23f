import fc from 'fast-check';
import type { Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  availableQuantity,
  Customer,
  decideCustomer,
  decideInventory,
  decideOrder,
  decidePayment,
  Inventory,
  Order,
  Payment,
  type DomainError,
  type DomainEvent,
  type SupportChannel,
} from '../../../src/domain/index.js';
import { aPlaceOrder } from '../mothers/order-mother.js';
import { aPayment, refund } from '../mothers/payment-mother.js';
import { anInteraction, aRegisteredCustomer } from '../mothers/customer-mother.js';
import { allocate, aPlacedOrderFor, receive, release, reserve } from '../mothers/inventory-mother.js';

const NOW = '2026-03-02T10:00:00.000Z';

/** Applies a decision's events to the state (a refusal leaves it unchanged). */
const evolveWith = <S, E extends DomainEvent>(evolve: (s: S, e: E) => S, state: S, decision: Result<readonly E[], DomainError>): S =>
  decision.isOk() ? decision.value.reduce(evolve, state) : state;

const replay = <S, E extends DomainEvent>(definition: { initialState(): S; evolve(s: S, e: E): S }, events: readonly E[]): S =>
  events.reduce((state, event) => definition.evolve(state, event), definition.initialState());

describe('invariants', () => {
  it('no sequence of inventory commands makes available stock negative', () => {
    const orderId = fc.constantFrom('order-1', 'order-2', 'order-3');
    const command = fc.oneof(
      fc.record({ kind: fc.constant('receive' as const), quantity: fc.integer({ min: -2, max: 20 }) }),
      fc.record({ kind: fc.constant('reserve' as const), orderId, quantity: fc.integer({ min: -2, max: 20 }) }),
      fc.record({ kind: fc.constant('release' as const), orderId }),
      fc.record({ kind: fc.constant('allocate' as const), orderId }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        let state = Inventory.initialState();
        for (const c of commands) {
          // Every order is open and holds enough of the SKU: what is tested here is the stock, not the order.
          const command =
            c.kind === 'receive'
              ? receive(c.quantity)
              : c.kind === 'reserve'
                ? reserve(c.orderId, c.quantity, aPlacedOrderFor(20))
                : c.kind === 'release'
                  ? release(c.orderId)
                  : allocate(c.orderId);
          const decision = decideInventory(command, state);
          state = evolveWith(Inventory.evolve, state, decision);
          expect(availableQuantity(state)).toBeGreaterThanOrEqual(0);
          expect(Object.values(state.reservations).every((quantity) => quantity > 0)).toBe(true);
        }
      }),
    );
  });

  it("an order's total is the sum of its lines plus tax rounded half up, for any valid lines", () => {
    const line = fc.record({ sku: fc.constantFrom('SKU-1', 'SKU-2', 'SKU-3'), quantity: fc.integer({ min: 1, max: 1000 }), unitPrice: fc.integer({ min: 0, max: 1_000_000 }) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 10_000 }), (lines, taxRate) => {
        const [created] = decideOrder(aPlaceOrder({ lines, taxRate }), Order.initialState())._unsafeUnwrap();
        // An independent oracle in exact integers: subtotal * rate / 10000, half up.
        const subtotal = lines.reduce((sum, l) => sum + BigInt(l.quantity) * BigInt(l.unitPrice), 0n);
        const tax = (subtotal * BigInt(taxRate) * 2n + 10_000n) / 20_000n;
        expect(created?.data).toMatchObject({ totalAmount: Number(subtotal + tax), taxAmount: Number(tax), taxRate });
      }),
    );
  });

  it('refunds never exceed the amount paid', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100, max: 6000 }), { maxLength: 30 }), (amounts) => {
        let state = replay(Payment, aPayment('PROCESSED'));
        let accepted = 0;
        for (const amount of amounts) {
          const decision = decidePayment(refund(amount, 'any'), state);
          if (decision.isOk()) accepted += amount;
          state = evolveWith(Payment.evolve, state, decision);
          expect(state.refunded).toBe(accepted);
          expect(state.refunded).toBeLessThanOrEqual(5000);
        }
        expect(state.status === 'REFUNDED').toBe(accepted === 5000);
      }),
    );
  });

  it("a customer's history holds exactly the interactions recorded, in order", () => {
    const attempt = fc.record({ channel: fc.constantFrom<SupportChannel | 'FAX'>('EMAIL', 'PHONE', 'CHAT', 'FAX'), summary: fc.string({ maxLength: 12 }) });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 30 }), (attempts) => {
        let state = replay(Customer, aRegisteredCustomer());
        const recorded: string[] = [];
        attempts.forEach((a, i) => {
          const interactionId = `interaction-${i}`;
          const decision = decideCustomer(anInteraction({ interactionId, channel: a.channel as SupportChannel, summary: a.summary, agent: 'agent-1', now: NOW }), state);
          if (decision.isOk()) recorded.push(interactionId);
          state = evolveWith(Customer.evolve, state, decision);
        });
        expect(state.interactions.map((interaction) => interaction.interactionId)).toEqual(recorded);
      }),
    );
  });
});
