import type { AggregateDefinition } from '../shared/aggregate.js';
import { ERASED } from '../shared/erased.js';
import { CUSTOMER_EVENT_TYPES, type CustomerEvent, type PersonalDetails, type SupportChannel } from './customer-events.js';

export interface SupportInteraction {
  readonly interactionId: string;
  readonly channel: SupportChannel;
  readonly summary: string;
  readonly agent: string;
  readonly orderId: string | null;
  readonly at: string;
}

export interface CustomerState {
  readonly registered: boolean;
  /** Null before registration and after erasure; a field of an erased customer's past events reads as ERASED. */
  readonly personal: PersonalDetails | null;
  /** When the customer's personal data was erased; null while it is kept. */
  readonly erasedAt: string | null;
  readonly interactions: readonly SupportInteraction[];
}

const evolve = (state: CustomerState, event: CustomerEvent): CustomerState => {
  switch (event.type) {
    case 'CustomerRegistered':
      return { ...state, registered: true, personal: { ...event.data.personal } };
    case 'CustomerDetailsChanged':
      return state.personal === null ? state : { ...state, personal: { ...state.personal, ...event.data.personal } };
    case 'SupportInteractionRecorded':
      return { ...state, interactions: [...state.interactions, { ...event.data, at: event.occurredAt }] };
    case 'CustomerErased':
      return { ...state, personal: null, erasedAt: event.occurredAt, interactions: state.interactions.map((interaction) => ({ ...interaction, summary: ERASED })) };
    default: {
      const unknown: never = event;
      throw new Error(`unhandled customer event ${JSON.stringify(unknown)}`);
    }
  }
};

export const Customer: AggregateDefinition<CustomerState, CustomerEvent> = {
  type: 'Customer',
  // 2: erasedAt (a snapshot of version 1 is ignored and the history read instead).
  stateSchemaVersion: 2,
  eventTypes: CUSTOMER_EVENT_TYPES,
  initialState: () => ({ registered: false, personal: null, erasedAt: null, interactions: [] }),
  evolve,
};
