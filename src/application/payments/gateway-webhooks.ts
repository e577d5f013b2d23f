import { err, type Result } from 'neverthrow';
import type { CommandError, CommandOutcome } from '../commands/command-error.js';
import type { CommandContext } from '../commands/command-executor.js';
import type { Clock } from '../ports/runtime.js';
import { parseGatewayEvent, type GatewayEvent } from './gateway-event.js';
import { checkWebhookSignature, type SignatureProblem } from './webhook-signature.js';

export const GATEWAY_ERRORS = {
  /** The signature is missing, malformed, not the body's, or signed too long ago (a replay). */
  SIGNATURE_INVALID: 'GATEWAY.SIGNATURE_INVALID',
  /** A correctly signed body that is not an event we understand, or that carries a card number. */
  INVALID_EVENT: 'GATEWAY.INVALID_EVENT',
  /** The event is about another payment than the one its URL names. */
  PAYMENT_MISMATCH: 'GATEWAY.PAYMENT_MISMATCH',
} as const;

export type GatewayErrorCode = (typeof GATEWAY_ERRORS)[keyof typeof GATEWAY_ERRORS];

export interface GatewayRefusal {
  readonly code: GatewayErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A webhook is refused by its own checks, or by the command it leads to (the payment is unknown, already completed ...). */
export type GatewayWebhookError = GatewayRefusal | CommandError;

export interface CompletePaymentCommand {
  readonly type: 'CompletePayment';
  readonly paymentId: string;
  readonly transactionId: string;
  readonly gateway: { readonly status: 'SUCCESS' | 'FAILURE'; readonly reference?: string; readonly error?: string };
}

export type CompletePayment = (command: CompletePaymentCommand, context: CommandContext) => Promise<Result<CommandOutcome, CommandError>>;

export interface GatewayWebhooksOptions {
  /** The secret shared with the gateway, which signs every webhook with it. */
  readonly secret: string;
  readonly clock: Clock;
  readonly completePayment: CompletePayment;
  /** How old (or how far ahead) a signature's time may be, in seconds: 300 by default, as Stripe does. */
  readonly toleranceSeconds?: number;
}

export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** Who the gateway's answers are recorded as acting: the gateway, authenticated by its signature. */
export const GATEWAY_ACTOR = 'payment-gateway';

const SIGNATURE_MESSAGES: Readonly<Record<SignatureProblem, string>> = {
  missing: 'the webhook carries no signature',
  malformed: 'the signature header is not of the form t=<unix seconds>,v1=<hex HMAC-SHA256>',
  mismatch: 'the signature does not match the body',
  'outside-tolerance': 'the signature was made too long ago (or too far ahead): a replay is refused',
};

const refusal = (code: GatewayErrorCode, message: string, details?: Record<string, unknown>): GatewayRefusal =>
  details === undefined ? { code, message } : { code, message, details };

const commandOf = (event: GatewayEvent): CompletePaymentCommand => ({
  type: 'CompletePayment',
  paymentId: event.paymentId,
  transactionId: event.transactionId,
  gateway:
    event.type === 'payment.succeeded'
      ? { status: 'SUCCESS', ...(event.reference === undefined ? {} : { reference: event.reference }) }
      : {
          status: 'FAILURE',
          ...(event.reference === undefined ? {} : { reference: event.reference }),
          ...(event.failureReason === undefined ? {} : { error: event.failureReason }),
        },
});

/**
 * The receiving end of the gateway's webhooks: verifies, parses, and completes the payment the event is about.
 * Gateways deliver at least once; the event's id is the command's idempotency key, so a redelivered event returns
 * the first outcome and appends nothing. The answer to the gateway is the command's outcome or refusal.
 */
export class GatewayWebhooks {
  readonly #secret: string;
  readonly #clock: Clock;
  readonly #completePayment: CompletePayment;
  readonly #toleranceSeconds: number;

  constructor(options: GatewayWebhooksOptions) {
    if (options.secret === '') throw new Error('a gateway webhook secret is required');
    this.#secret = options.secret;
    this.#clock = options.clock;
    this.#completePayment = options.completePayment;
    this.#toleranceSeconds = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  }

  async receive(
    paymentIdFromPath: string,
    rawBody: string,
    signatureHeader: string | undefined,
    context: { readonly correlationId: string },
  ): Promise<Result<CommandOutcome, GatewayWebhookError>> {
    const nowSeconds = Math.floor(Date.parse(this.#clock.now()) / 1000);
    const problem = checkWebhookSignature(rawBody, signatureHeader, { secret: this.#secret, nowSeconds, toleranceSeconds: this.#toleranceSeconds });
    if (problem !== null) return err(refusal(GATEWAY_ERRORS.SIGNATURE_INVALID, SIGNATURE_MESSAGES[problem]));
    const parsed = parseGatewayEvent(rawBody);
    if (parsed.isErr()) {
      return err(refusal(GATEWAY_ERRORS.INVALID_EVENT, `the gateway event is invalid: ${parsed.error.join('; ')}`, { problems: parsed.error }));
    }
    const event = parsed.value;
    if (event.paymentId !== paymentIdFromPath) {
      return err(
        refusal(GATEWAY_ERRORS.PAYMENT_MISMATCH, `the event is about payment ${event.paymentId}, not ${paymentIdFromPath}`, {
          paymentIdInPath: paymentIdFromPath,
          paymentIdInEvent: event.paymentId,
        }),
      );
    }
    return this.#completePayment(commandOf(event), {
      metadata: { correlationId: event.correlationId ?? context.correlationId, causationId: event.id, actor: GATEWAY_ACTOR },
      idempotencyKey: `gateway-event:${event.id}`,
    });
  }
}
