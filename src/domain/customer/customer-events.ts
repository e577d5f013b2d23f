import type { DomainEvent } from '../shared/domain-event.js';

/**
 * Personal data (GDPR): everything under `personal`, and a support interaction's summary. The application
 * encrypts exactly these (and an order's shipping address) per customer; once the customer is erased each
 * reads as ERASED.
 */
export interface PersonalDetails {
  readonly name: string;
  readonly email: string;
  readonly address: string;
}

export type CustomerRegistered = DomainEvent<'CustomerRegistered', { personal: PersonalDetails }>;
export type CustomerDetailsChanged = DomainEvent<'CustomerDetailsChanged', { personal: Partial<PersonalDetails> }>;
export type SupportInteractionRecorded = DomainEvent<
  'SupportInteractionRecorded',
  { interactionId: string; channel: SupportChannel; summary: string; agent: string; orderId: string | null }
>;

/** The customer's personal data was erased: their data key is gone, and nothing personal about them is kept. */
export type CustomerErased = DomainEvent<'CustomerErased', Record<string, never>>;

export type SupportChannel = 'EMAIL' | 'PHONE' | 'CHAT';
export const SUPPORT_CHANNELS: readonly SupportChannel[] = ['EMAIL', 'PHONE', 'CHAT'];

export type CustomerEvent = CustomerRegistered | CustomerDetailsChanged | SupportInteractionRecorded | CustomerErased;

export const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set<CustomerEvent['type']>([
  'CustomerRegistered',
  'CustomerDetailsChanged',
  'SupportInteractionRecorded',
  'CustomerErased',
]);
