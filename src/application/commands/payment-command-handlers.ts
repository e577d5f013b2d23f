import * as domain from '../../domain/index.js';
import type { Clock } from '../ports/runtime.js';
import type { CommandContext, CommandExecutor, Expectation } from './command-executor.js';

export class PaymentCommandHandlers {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
  ) {}

  request(command: Omit<domain.RequestPayment, 'now'> & { paymentId: string }, context: CommandContext) {
    const { paymentId, ...args } = command;
    return this.run('request', paymentId, args, 'new', (state) => domain.requestPayment(state, { ...args, now: this.clock.now() }), context);
  }

  complete(command: { paymentId: string; transactionId: string; gateway: domain.GatewayResult }, context: CommandContext) {
    return this.run('complete', command.paymentId, command, 'existing', (state) => domain.completePayment(state, { ...command, now: this.clock.now() }), context);
  }

  refund(command: { paymentId: string; amount: number; reason: string }, context: CommandContext) {
    return this.run('refund', command.paymentId, command, 'existing', (state) => domain.refundPayment(state, { ...command, now: this.clock.now() }), context);
  }

  private run(
    name: string,
    paymentId: string,
    args: unknown,
    expects: Expectation,
    decide: (state: domain.PaymentState) => ReturnType<typeof domain.refundPayment>,
    context: CommandContext,
  ) {
    return this.executor.execute({ definition: domain.Payment, aggregateId: paymentId, fingerprint: [name, args], expects, decide }, context);
  }
}
