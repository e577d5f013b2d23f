import * as domain from '../../domain/index.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { CommandContext, CommandExecutor, Expectation } from './command-executor.js';

export class CustomerCommandHandlers {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  register(command: { customerId: string; personal: domain.PersonalDetails }, context: CommandContext) {
    return this.run('register', command.customerId, 'new', (state) => domain.registerCustomer(state, { personal: command.personal, now: this.clock.now() }), context, command.personal);
  }

  changeDetails(command: { customerId: string; personal: Partial<domain.PersonalDetails> }, context: CommandContext) {
    return this.run('change', command.customerId, 'existing', (state) => domain.changeCustomerDetails(state, { personal: command.personal, now: this.clock.now() }), context, command.personal);
  }

  recordSupportInteraction(
    command: { customerId: string; channel: domain.SupportChannel; summary: string; agent: string; orderId?: string | null },
    context: CommandContext,
  ) {
    const interactionId = this.ids.next();
    return this.run('support', command.customerId, 'existing', (state) => domain.recordSupportInteraction(state, { ...command, interactionId, now: this.clock.now() }), context, [
      command.channel,
      command.summary,
      command.agent,
      command.orderId ?? null,
    ]);
  }

  private run(
    name: string,
    customerId: string,
    expects: Expectation,
    decide: (state: domain.CustomerState) => ReturnType<typeof domain.registerCustomer>,
    context: CommandContext,
    args: unknown = null,
  ) {
    return this.executor.execute({ definition: domain.Customer, aggregateId: customerId, fingerprint: [name, args], expects, decide }, context);
  }
}
