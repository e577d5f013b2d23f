import type { AggregateDefinition } from '../shared/aggregate.js';
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
  readonly personal: PersonalDetails | null;
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
    default: {
      const unknown: never = event;
      throw new Error(`unhandled customer event ${JSON.stringify(unknown)}`);
    }
  }
};

export const Customer: AggregateDefinition<CustomerState, CustomerEvent> = {
  type: 'Customer',
  stateSchemaVersion: 1,
  eventTypes: CUSTOMER_EVENT_TYPES,
  initialState: () => ({ registered: false, personal: null, interactions: [] }),
  evolve,
};
