import { err, type Result } from 'neverthrow';
import { Customer, CUSTOMER_ERRORS, domainError } from '../../domain/index.js';
import type { CommandError, CommandOutcome } from '../commands/command-error.js';
import type { CommandContext } from '../commands/command-executor.js';
import type { HandlesCommands } from '../commands/command-handler.js';
import type { CustomerCommand } from '../commands/commands.js';
import type { DataKeyStore } from '../ports/data-key-store.js';
import type { Clock } from '../ports/runtime.js';
import type { AggregateRepository } from '../repository/aggregate-repository.js';
import type { PersonalDataCodec } from './personal-data-codec.js';

export interface CustomerErasureDeps {
  readonly customers: HandlesCommands<CustomerCommand>;
  readonly repository: AggregateRepository;
  readonly keys: DataKeyStore;
  readonly codec: PersonalDataCodec;
  readonly clock: Clock;
}

/**
 * GDPR erasure by crypto-shredding: the customer's data key is deleted, then `CustomerErased` is recorded on their
 * stream (projections scrub what they hold on it). The key goes first: a crash in between leaves the data already
 * unreadable, and a retry records the event (deleting a deleted key changes nothing). Erasing twice is refused
 * with CUSTOMER.ALREADY_ERASED and the time of the first erasure.
 */
export class CustomerErasure {
  constructor(private readonly deps: CustomerErasureDeps) {}

  async erase(customerId: string, context: CommandContext): Promise<Result<CommandOutcome, CommandError>> {
    const loaded = await this.deps.repository.load(Customer, customerId);
    if (loaded.isErr()) return err(loaded.error);
    const customer = loaded.value;
    if (customer.version === 0) return err(domainError(CUSTOMER_ERRORS.NOT_FOUND, `customer ${customerId} has no events`));
    if (customer.state.erasedAt !== null) {
      return err(domainError(CUSTOMER_ERRORS.ALREADY_ERASED, `the customer was already erased at ${customer.state.erasedAt}`, { erasedAt: customer.state.erasedAt }));
    }
    await this.deps.keys.delete(customerId, this.deps.clock.now());
    this.deps.codec.forget(customerId);
    return this.deps.customers.handle({ type: 'EraseCustomer', customerId }, context);
  }
}
