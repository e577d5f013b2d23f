import * as domain from '../../domain/index.js';
import type { Clock } from '../ports/runtime.js';
import type { CommandContext, CommandExecutor, Expectation } from './command-executor.js';

type Without<T> = Omit<T, 'now'>;

export class OrderCommandHandlers {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
    private readonly returnWindowDays = domain.DEFAULT_RETURN_WINDOW_DAYS,
  ) {}

  create(command: Without<domain.CreateOrder> & { orderId: string }, context: CommandContext) {
    const { orderId, ...args } = command;
    return this.run('create', orderId, args, 'new', (state) => domain.createOrder(state, { ...args, now: this.clock.now() }), context);
  }

  confirm(command: { orderId: string; paymentId?: string | null }, context: CommandContext) {
    return this.run('confirm', command.orderId, command, 'existing', (state) => domain.confirmOrder(state, { paymentId: command.paymentId ?? null, now: this.clock.now() }), context);
  }

  ship(command: { orderId: string; carrier: string; trackingNumber: string }, context: CommandContext) {
    return this.run('ship', command.orderId, command, 'existing', (state) => domain.shipOrder(state, { ...command, now: this.clock.now() }), context);
  }

  deliver(command: { orderId: string }, context: CommandContext) {
    return this.run('deliver', command.orderId, command, 'existing', (state) => domain.deliverOrder(state, { now: this.clock.now() }), context);
  }

  cancel(command: { orderId: string; reason: string }, context: CommandContext) {
    return this.run('cancel', command.orderId, command, 'existing', (state) => domain.cancelOrder(state, { reason: command.reason, now: this.clock.now() }), context);
  }

  return(command: { orderId: string; reason: string }, context: CommandContext) {
    return this.run(
      'return',
      command.orderId,
      command,
      'existing',
      (state) => domain.returnOrder(state, { reason: command.reason, returnWindowDays: this.returnWindowDays, now: this.clock.now() }),
      context,
    );
  }

  private run(
    name: string,
    orderId: string,
    args: unknown,
    expects: Expectation,
    decide: (state: domain.OrderState) => ReturnType<typeof domain.confirmOrder>,
    context: CommandContext,
  ) {
    return this.executor.execute({ definition: domain.Order, aggregateId: orderId, fingerprint: [name, args], expects, decide }, context);
  }
}
