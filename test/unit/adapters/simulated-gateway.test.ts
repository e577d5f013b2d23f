import { describe, expect, it } from 'vitest';
import { SimulatedGateway, signWebhook, type SimulatedGatewayOptions } from '../../../src/adapters/gateway/simulated-gateway.js';
import { FixedClock } from '../../../src/adapters/runtime/system-runtime.js';
import { parseGatewayEvent, type GatewayEvent } from '../../../src/application/payments/gateway-event.js';
import type { ChargeRequest } from '../../../src/application/ports/payment-gateway.js';
import { isTransient } from '../../../src/application/ports/transient-failure.js';
import { ManualTimers } from '../../support/manual-timers.js';

const SECRET = 'whsec_test';
const STARTS_AT = '2026-03-01T09:00:00.000Z';

interface Delivery {
  readonly paymentId: string;
  readonly rawBody: string;
  readonly signature: string;
  readonly event: GatewayEvent;
}

const aCharge = (token: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  paymentId: 'PAY-1',
  orderId: 'ORD-1',
  amount: { amount: 4918, currency: 'EUR' },
  paymentMethodToken: token,
  idempotencyKey: 'charge:PAY-1',
  ...overrides,
});

/** A gateway over manual timers; `failures` deliveries are refused before the service takes them. */
const aGateway = (options: Partial<SimulatedGatewayOptions> & { failures?: number } = {}) => {
  const clock = new FixedClock(STARTS_AT);
  const timers = new ManualTimers(clock);
  const deliveries: Delivery[] = [];
  const logged: string[] = [];
  let failures = options.failures ?? 0;
  const gateway = new SimulatedGateway({
    secret: SECRET,
    clock,
    timers,
    log: (line) => logged.push(line),
    deliver: async (paymentId, rawBody, signature) => {
      deliveries.push({ paymentId, rawBody, signature, event: JSON.parse(rawBody) as GatewayEvent });
      if (failures > 0) {
        failures -= 1;
        throw new Error('connection refused');
      }
    },
    ...options,
  });
  return { gateway, clock, timers, deliveries, logged };
};

const unixSeconds = (instant: string) => Math.floor(Date.parse(instant) / 1000);

describe('SimulatedGateway', () => {
  it('approves a tok_approve charge with a signed payment.succeeded webhook, after charge has returned', async () => {
    const { gateway, timers, deliveries } = aGateway();
    await gateway.charge(aCharge('tok_approve_visa'));
    expect(deliveries).toHaveLength(0);
    await timers.advance(0);
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries as [Delivery];
    expect(delivery.paymentId).toBe('PAY-1');
    expect(delivery.event).toMatchObject({ type: 'payment.succeeded', paymentId: 'PAY-1', createdAt: STARTS_AT });
    expect(delivery.event.id).toMatch(/^evt_/);
    expect(delivery.event.transactionId).toMatch(/^txn_/);
    expect(delivery.event.reference).toMatch(/^auth_/);
    expect(delivery.signature).toBe(signWebhook(SECRET, delivery.rawBody, unixSeconds(STARTS_AT)));
    expect(parseGatewayEvent(delivery.rawBody).isOk()).toBe(true);
  });

  it('declines a tok_decline charge with the reason', async () => {
    const { gateway, timers, deliveries } = aGateway();
    await gateway.charge(aCharge('tok_decline_insufficient_funds'));
    await timers.advance(0);
    expect(deliveries.map((d) => d.event)).toEqual([expect.objectContaining({ type: 'payment.failed', failureReason: 'card declined', paymentId: 'PAY-1' })]);
  });

  it('approves any other token', async () => {
    const { gateway, timers, deliveries } = aGateway();
    await gateway.charge(aCharge('tok_visa'));
    await timers.advance(0);
    expect(deliveries.map((d) => d.event.type)).toEqual(['payment.succeeded']);
  });

  it('never answers a tok_silent charge', async () => {
    const { gateway, timers, deliveries } = aGateway();
    await gateway.charge(aCharge('tok_silent'));
    await timers.advance(24 * 3600_000);
    expect(deliveries).toHaveLength(0);
    expect(timers.pending).toBe(0);
  });

  it('answers a tok_slow charge after the configured delay, signed at the time it is sent', async () => {
    const { gateway, timers, deliveries } = aGateway({ slowDelayMs: 2_000 });
    await gateway.charge(aCharge('tok_slow'));
    await timers.advance(1_999);
    expect(deliveries).toHaveLength(0);
    await timers.advance(1);
    expect(deliveries.map((d) => d.event.type)).toEqual(['payment.succeeded']);
    const [delivery] = deliveries as [Delivery];
    expect(delivery.event.createdAt).toBe(STARTS_AT);
    expect(delivery.signature).toBe(signWebhook(SECRET, delivery.rawBody, unixSeconds(STARTS_AT) + 2));
  });

  it('takes 5 seconds over a tok_slow charge by default', async () => {
    const { gateway, timers, deliveries } = aGateway();
    await gateway.charge(aCharge('tok_slow'));
    await timers.advance(4_999);
    expect(deliveries).toHaveLength(0);
    await timers.advance(1);
    expect(deliveries).toHaveLength(1);
  });

  it('answers a key charged twice with the same event, id and body, so the receiver recognises the duplicate', async () => {
    const { gateway, timers, deliveries } = aGateway();
    await gateway.charge(aCharge('tok_approve'));
    await timers.advance(60_000);
    await gateway.charge(aCharge('tok_approve'));
    await timers.advance(0);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.rawBody).toBe(deliveries[0]?.rawBody);
    await gateway.charge(aCharge('tok_approve', { paymentId: 'PAY-2', idempotencyKey: 'charge:PAY-2' }));
    await timers.advance(0);
    expect(deliveries[2]?.event.id).not.toBe(deliveries[0]?.event.id);
  });

  it('refuses a key reused for a different charge, as a bug rather than an outage', async () => {
    const { gateway } = aGateway();
    await gateway.charge(aCharge('tok_approve'));
    const reused = await gateway.charge(aCharge('tok_approve', { amount: { amount: 1, currency: 'EUR' } })).catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(Error);
    expect(isTransient(reused)).toBe(false);
  });

  it('redelivers a webhook the service did not take, backing off, and signs each attempt afresh', async () => {
    const { gateway, timers, deliveries } = aGateway({ failures: 2, retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 } });
    await gateway.charge(aCharge('tok_approve'));
    await timers.advance(0);
    expect(deliveries).toHaveLength(1);
    await timers.advance(999);
    expect(deliveries).toHaveLength(1);
    await timers.advance(1);
    expect(deliveries).toHaveLength(2);
    await timers.advance(2_000);
    expect(deliveries).toHaveLength(3);
    await timers.advance(60_000);
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.rawBody)).size).toBe(1);
    expect(deliveries[2]?.signature).toBe(signWebhook(SECRET, deliveries[0]?.rawBody ?? '', unixSeconds(STARTS_AT) + 3));
  });

  it('gives up after the last attempt and says so', async () => {
    const { gateway, timers, deliveries, logged } = aGateway({ failures: 100, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 } });
    await gateway.charge(aCharge('tok_approve'));
    await timers.advance(3_600_000);
    expect(deliveries).toHaveLength(3);
    expect(logged).toEqual([expect.stringMatching(/gave up delivering webhook evt_\S+ for payment PAY-1 after 3 attempts: connection refused/)]);
    expect(timers.pending).toBe(0);
  });

  it('cancels what it has not sent when closed, and refuses charges afterwards as a transient failure', async () => {
    const { gateway, timers, deliveries } = aGateway({ failures: 1 });
    await gateway.charge(aCharge('tok_slow'));
    await gateway.charge(aCharge('tok_approve', { paymentId: 'PAY-2', idempotencyKey: 'charge:PAY-2' }));
    await timers.advance(0);
    expect(deliveries).toHaveLength(1);
    expect(timers.pending).toBe(2);
    await gateway.close();
    expect(timers.pending).toBe(0);
    await timers.advance(3_600_000);
    expect(deliveries).toHaveLength(1);
    const refused = await gateway.charge(aCharge('tok_approve', { paymentId: 'PAY-3', idempotencyKey: 'charge:PAY-3' })).catch((error: unknown) => error);
    expect(isTransient(refused)).toBe(true);
  });

  it('sends nothing that looks like a card number, whatever the key', async () => {
    const { gateway, timers, deliveries } = aGateway();
    for (let n = 0; n < 300; n += 1) await gateway.charge(aCharge(n % 2 === 0 ? 'tok_approve' : 'tok_decline', { paymentId: `PAY-${n}`, idempotencyKey: `charge:${n}` }));
    await timers.advance(0);
    expect(deliveries).toHaveLength(300);
    expect(deliveries.filter((d) => parseGatewayEvent(d.rawBody).isErr())).toEqual([]);
  });
});
