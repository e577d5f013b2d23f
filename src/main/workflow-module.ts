import { randomBytes } from 'node:crypto';
import { ContainerModule } from 'inversify';
import { SimulatedGateway, type WebhookDelivery } from '../adapters/gateway/simulated-gateway.js';
import { GatewayWebhooks } from '../application/payments/gateway-webhooks.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, Subscription } from '../application/subscriptions/subscription.js';
import { DEFAULT_FULFILMENT_TIMEOUTS } from '../application/workflows/fulfilment-inputs.js';
import { OrderFulfilmentRunner } from '../application/workflows/order-fulfilment-runner.js';
import { OrderFulfilmentService } from '../application/workflows/order-fulfilment-service.js';
import type { AppConfig } from './config.js';
import type { Runtime } from './container.js';
import { subscriptionDeps } from './subscription-deps.js';
import { TOKENS } from './tokens.js';

/**
 * Where the simulated gateway's webhooks go: straight to the application in process until the service listens,
 * then over HTTP to its own `/payments/{id}/gateway-events`, as a real gateway sends them.
 */
export class WebhookRoute {
  #target: WebhookDelivery;

  constructor(initial: WebhookDelivery) {
    this.#target = initial;
  }

  readonly deliver: WebhookDelivery = (paymentId, rawBody, signature) => this.#target(paymentId, rawBody, signature);

  sendTo(target: WebhookDelivery): void {
    this.#target = target;
  }
}

/** How long a fired deadline is held before another instance may fire it again. */
const DEADLINE_HOLD_MS = 60_000;

/** The order-fulfilment workflow, the payment gateway and its webhooks. */
export const workflowModule = (config: AppConfig, runtime: Runtime): ContainerModule =>
  new ContainerModule(({ bind }) => {
    // Without a configured secret the simulated gateway and this process share one made up now: only they know it.
    const secret = config.gatewayWebhookSecret ?? randomBytes(32).toString('hex');
    bind(TOKENS.GatewayWebhooks)
      .toDynamicValue(
        ({ get }) =>
          new GatewayWebhooks({ secret, clock: get(TOKENS.Clock), completePayment: (command, context) => get(TOKENS.PaymentCommands).handle(command, context) }),
      )
      .inSingletonScope();
    bind(TOKENS.WebhookRoute)
      .toDynamicValue(({ get }) => {
        const webhooks = get(TOKENS.GatewayWebhooks);
        return new WebhookRoute(async (paymentId, rawBody, signature) => {
          const received = await webhooks.receive(paymentId, rawBody, signature, { correlationId: `gateway:${paymentId}` });
          if (received.isErr()) throw new Error(`the webhook was refused: ${received.error.code}: ${received.error.message}`);
        });
      })
      .inSingletonScope();
    bind(TOKENS.PaymentGateway)
      .toDynamicValue(({ get }) => {
        const logger = get(TOKENS.Logger);
        return new SimulatedGateway({
            secret,
            deliver: get(TOKENS.WebhookRoute).deliver,
            clock: get(TOKENS.Clock),
            slowDelayMs: config.gatewaySlowMs,
            log: (line) => logger.warn(line),
            ...(runtime.timers === undefined ? {} : { timers: runtime.timers }),
          });
      })
      .inSingletonScope();
    bind(TOKENS.Fulfilment)
      .toDynamicValue(({ get }) => {
        const runner = new OrderFulfilmentRunner(
          {
            store: get(TOKENS.EventStore),
            archive: get(TOKENS.EventArchive),
            repository: get(TOKENS.Repository),
            checkpoints: get(TOKENS.CheckpointStore),
            upcasters: get(TOKENS.Upcasters),
            commands: { orders: get(TOKENS.OrderCommands), payments: get(TOKENS.PaymentCommands), inventory: get(TOKENS.InventoryCommands) },
            gateway: get(TOKENS.PaymentGateway),
            deadlines: get(TOKENS.DeadlineScheduler),
            metrics: get(TOKENS.Metrics),
            clock: get(TOKENS.Clock),
            logger: get(TOKENS.Logger),
            tracing: get(TOKENS.Tracing),
          },
          {
            ...DEFAULT_FULFILMENT_TIMEOUTS,
            paymentTimeoutMs: config.paymentTimeoutMs,
            owner: get(TOKENS.Owner),
            deadlineHoldMs: DEADLINE_HOLD_MS,
            concurrency: 16,
          },
        );
        const subscription = new Subscription(
          subscriptionDeps(get),
          runner,
          { ...DEFAULT_SUBSCRIPTION_OPTIONS, batchSize: 200, owner: get(TOKENS.Owner), leaseTtlMs: config.leaseTtlMs },
        );
        return new OrderFulfilmentService(runner, subscription, get(TOKENS.DeadlineScheduler), get(TOKENS.Metrics), get(TOKENS.Clock));
      })
      .inSingletonScope();
  });
