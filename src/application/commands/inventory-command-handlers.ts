import * as domain from '../../domain/index.js';
import type { Clock } from '../ports/runtime.js';
import type { CommandContext, CommandExecutor } from './command-executor.js';

/** One inventory aggregate per SKU: the SKU is its id. Every command may meet the SKU new or known (a receipt starts it). */
export class InventoryCommandHandlers {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
  ) {}

  receive(command: { sku: string; quantity: number }, context: CommandContext) {
    return this.run('receive', command.sku, command, (state) => domain.receiveStock(state, { ...command, now: this.clock.now() }), context);
  }

  reserve(command: { sku: string; orderId: string; quantity: number }, context: CommandContext) {
    return this.run('reserve', command.sku, command, (state) => domain.reserveStock(state, { ...command, now: this.clock.now() }), context);
  }

  release(command: { sku: string; orderId: string }, context: CommandContext) {
    return this.run('release', command.sku, command, (state) => domain.releaseReservation(state, { ...command, now: this.clock.now() }), context);
  }

  allocate(command: { sku: string; orderId: string }, context: CommandContext) {
    return this.run('allocate', command.sku, command, (state) => domain.allocateReservation(state, { ...command, now: this.clock.now() }), context);
  }

  private run(
    name: string,
    sku: string,
    args: unknown,
    decide: (state: domain.InventoryState) => ReturnType<typeof domain.receiveStock>,
    context: CommandContext,
  ) {
    return this.executor.execute({ definition: domain.Inventory, aggregateId: sku, fingerprint: [name, args], expects: 'either', decide }, context);
  }
}
