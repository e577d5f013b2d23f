import type { Result } from 'neverthrow';
import { expect } from 'vitest';
import { Aggregate, type AggregateDefinition, type DomainError, type DomainEvent } from '../../src/domain/index.js';

type Decide<S, E, C> = (command: C, state: S) => Result<readonly E[], DomainError>;

export interface ThenStep<S, E> {
  /** The command decided exactly these events; returns the state they lead to, for further checks. */
  then(expected: readonly E[]): S;
  /** The command was refused with this code and raised nothing; returns the error for further checks. */
  thenFailsWith(code: string): DomainError;
}

export interface DeciderSpecification<S, E, C> {
  given(history: readonly E[]): {
    when(command: C): ThenStep<S, E>;
  };
}

/**
 * Given events, when a command, then events or a refusal (Emmett's DeciderSpecification shape), over an
 * aggregate's decider. History goes through the aggregate's own load, so a test cannot start from a state
 * the aggregate would refuse to load.
 */
export const deciderSpec = <S, E extends DomainEvent, C>(definition: AggregateDefinition<S, E>, decide: Decide<S, E, C>): DeciderSpecification<S, E, C> => ({
  given: (history) => ({
    when: (command) => {
      const aggregate = new Aggregate(definition, 'spec');
      const loaded = aggregate.loadFromHistory(history.map((event, index) => ({ ...event, version: index + 1 })));
      if (loaded.isErr()) throw new Error(`the given history does not load: ${loaded.error.code}: ${loaded.error.message}`);
      const decided = aggregate.execute((state) => decide(command, state));
      return {
        then: (expected) => {
          // On a refusal the diff shows the error instead of the events.
          const why = decided.isErr() ? `the command was refused with ${decided.error.code}` : 'decided events';
          expect(decided.isOk() ? decided.value : decided.error, why).toEqual(expected);
          return aggregate.state;
        },
        thenFailsWith: (code) => {
          expect(decided.isErr() ? decided.error.code : { decided: decided.value }).toBe(code);
          expect(aggregate.uncommittedEvents).toEqual([]);
          return decided._unsafeUnwrapErr();
        },
      };
    },
  }),
});
