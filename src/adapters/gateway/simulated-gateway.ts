import { createHash } from 'node:crypto';
import type { GatewayEvent } from '../../application/payments/gateway-event.js';
import { signWebhook } from '../../application/payments/webhook-signature.js';
import { GatewayUnreachableError, type ChargeRequest, type PaymentGateway } from '../../application/ports/payment-gateway.js';
import type { Clock } from '../../application/ports/runtime.js';
import type { RetryPolicy } from '../backoff/retry-policy.js';

// Gateway and receiver share the signing scheme; tests sign their own bodies with it.
export { signWebhook };

/** Hands a signed webhook to the service; rejects when it was not taken (unreachable, or any answer but 2xx). */
export type WebhookDelivery = (paymentId: string, rawBody: string, signature: string) => Promise<void>;

/** Delays the gateway waits out; injected so that tests move time by hand. */
export interface Timers {
  /** Runs `task` once after `delayMs`; the function returned cancels it if it has not run yet. */
  after(delayMs: number, task: () => void): () => void;
}

export const systemTimers: Timers = {
  after: (delayMs, task) => {
    const handle = setTimeout(task, delayMs);
    // A pending answer never keeps a process alive on its own: close() is the orderly way to stop.
    handle.unref();
    return () => clearTimeout(handle);
  },
};

export interface SimulatedGatewayOptions {
  /** Signs every webhook; the receiving side verifies with the same secret. */
  readonly secret: string;
  readonly deliver: WebhookDelivery;
  /** Stamps events (`createdAt`) and signatures (`t=`). */
  readonly clock: Clock;
  readonly timers?: Timers;
  /** How long a `tok_slow...` charge takes to be answered: 5 s by default. */
  readonly slowDelayMs?: number;
  /** How long any other answered charge takes: 0 by default (still after `charge` has returned, as with a real gateway). */
  readonly answerDelayMs?: number;
  /** Redelivery of a webhook the service did not take: 5 attempts, 1 s doubling to at most 30 s, by default. */
  readonly retry?: RetryPolicy;
  /** Where a webhook given up on is reported. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_WEBHOOK_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };
export const DEFAULT_SLOW_DELAY_MS = 5_000;

type Answer = { readonly kind: 'approve' | 'decline'; readonly delayMs: number } | { readonly kind: 'silent' };

/** A charge as first asked for under its idempotency key: what a repeat must match, and the webhook it is answered with. */
interface Charge {
  readonly fingerprint: string;
  readonly paymentId: string;
  readonly eventId: string;
  /** Null for a token the gateway never answers. */
  readonly body: string | null;
}

// Charges remembered for repeats of their key; the oldest are forgotten beyond this (a simulator, not a ledger).
const REMEMBERED_CHARGES = 10_000;

// base64url: ids with hardly any runs of digits, so that nothing in a webhook ever looks like a card number by chance.
const digestOf = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 24);

/**
 * A payment gateway that answers by the token's prefix, as test cards do at real gateways:
 * `tok_approve...` approves, `tok_decline...` declines, `tok_silent...` never answers, `tok_slow...` approves
 * after `slowDelayMs`, and any other token approves. Answers arrive as signed webhooks, never as `charge`'s result.
 * A key charged again is answered again with the very same event (id and body): the receiver recognises it.
 */
export class SimulatedGateway implements PaymentGateway {
  readonly #options: SimulatedGatewayOptions;
  readonly #timers: Timers;
  readonly #retry: RetryPolicy;
  readonly #log: (line: string) => void;
  readonly #charges = new Map<string, Charge>();
  readonly #pending = new Set<() => void>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(options: SimulatedGatewayOptions) {
    if (options.secret === '') throw new Error('a webhook signing secret is required');
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#retry = options.retry ?? DEFAULT_WEBHOOK_RETRY;
    this.#log = options.log ?? ((line) => console.error(line));
  }

  async charge(request: ChargeRequest): Promise<void> {
    if (this.#closed) throw new GatewayUnreachableError('the simulated gateway is closed');
    const answer = this.#answerFor(request.paymentMethodToken);
    const charge = this.#remember(request, answer);
    if (answer.kind === 'silent' || charge.body === null) return;
    const body = charge.body;
    this.#after(answer.delayMs, () => this.#attempt(charge.paymentId, charge.eventId, body, 1));
  }

  /** Resolves once the deliveries under way have settled (answers still waiting on a timer are not waited for). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Cancels every answer and redelivery still waiting, and resolves once deliveries under way have settled. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#pending) cancel();
    this.#pending.clear();
    await Promise.allSettled([...this.#inFlight]);
  }

  #answerFor(token: string): Answer {
    const { slowDelayMs = DEFAULT_SLOW_DELAY_MS, answerDelayMs = 0 } = this.#options;
    if (token.startsWith('tok_silent')) return { kind: 'silent' };
    if (token.startsWith('tok_decline')) return { kind: 'decline', delayMs: answerDelayMs };
    if (token.startsWith('tok_slow')) return { kind: 'approve', delayMs: slowDelayMs };
    return { kind: 'approve', delayMs: answerDelayMs };
  }

  #remember(request: ChargeRequest, answer: Answer): Charge {
    const key = request.idempotencyKey;
    const { paymentId, orderId, amount, paymentMethodToken } = request;
    const fingerprint = digestOf(JSON.stringify([paymentId, orderId, amount.amount, amount.currency, paymentMethodToken]));
    const known = this.#charges.get(key);
    if (known !== undefined) {
      // Real gateways refuse a key reused with other parameters: a bug in the caller, not a payment outcome.
      if (known.fingerprint !== fingerprint) throw new Error(`idempotency key ${key} was already used for a different charge`);
      return known;
    }
    const eventId = `evt_${digestOf(`event:${key}`)}`;
    const charge: Charge = { fingerprint, paymentId, eventId, body: answer.kind === 'silent' ? null : this.#bodyOf(eventId, key, paymentId, answer.kind, request.correlationId) };
    this.#charges.set(key, charge);
    if (this.#charges.size > REMEMBERED_CHARGES) this.#charges.delete(this.#charges.keys().next().value as string);
    return charge;
  }

  #bodyOf(eventId: string, key: string, paymentId: string, kind: 'approve' | 'decline', correlationId: string | undefined): string {
    const transactionId = `txn_${digestOf(`transaction:${key}`)}`;
    const event: GatewayEvent =
      kind === 'approve'
        ? { id: eventId, type: 'payment.succeeded', paymentId, transactionId, reference: `auth_${digestOf(`reference:${key}`)}`, createdAt: this.#options.clock.now() }
        : { id: eventId, type: 'payment.failed', paymentId, transactionId, failureReason: 'card declined', createdAt: this.#options.clock.now() };
    return JSON.stringify(correlationId === undefined ? event : { ...event, metadata: { correlationId } });
  }

  #after(delayMs: number, task: () => void): void {
    const cancel = this.#timers.after(delayMs, () => {
      this.#pending.delete(cancel);
      if (!this.#closed) task();
    });
    this.#pending.add(cancel);
  }

  #attempt(paymentId: string, eventId: string, body: string, attempt: number): void {
    // Each delivery is signed when it is sent, as real gateways do, so a late retry is not refused as a replay.
    const signature = signWebhook(this.#options.secret, body, Math.floor(Date.parse(this.#options.clock.now()) / 1000));
    let sent: Promise<void>;
    try {
      sent = this.#options.deliver(paymentId, body, signature);
    } catch (error) {
      sent = Promise.reject(error);
    }
    const settled = sent.then(
      () => undefined,
      (error: unknown) => this.#failed(paymentId, eventId, body, attempt, error),
    );
    this.#inFlight.add(settled);
    void settled.finally(() => this.#inFlight.delete(settled));
  }

  /**
   * A real gateway retries a webhook for days (Stripe: up to three days, with exponential back-off) and lets the
   * merchant replay it from a dashboard; the simulator tries a few times, then gives up and says so.
   */
  #failed(paymentId: string, eventId: string, body: string, attempt: number, error: unknown): void {
    if (this.#closed) return;
    const reason = error instanceof Error ? error.message : String(error);
    if (attempt >= this.#retry.maxAttempts) {
      this.#log(`simulated gateway: gave up delivering webhook ${eventId} for payment ${paymentId} after ${attempt} attempts: ${reason}`);
      return;
    }
    const delayMs = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    this.#after(delayMs, () => this.#attempt(paymentId, eventId, body, attempt + 1));
  }
}
