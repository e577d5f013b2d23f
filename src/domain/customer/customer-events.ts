import type { DomainEvent } from '../shared/domain-event.js';

/**
 * Personal data (GDPR): everything under `personal` and nothing else.
 * A later change encrypts exactly these fields per customer, so keep them here.
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

export type SupportChannel = 'EMAIL' | 'PHONE' | 'CHAT';
export const SUPPORT_CHANNELS: readonly SupportChannel[] = ['EMAIL', 'PHONE', 'CHAT'];

export type CustomerEvent = CustomerRegistered | CustomerDetailsChanged | SupportInteractionRecorded;

export const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set<CustomerEvent['type']>([
  'CustomerRegistered',
  'CustomerDetailsChanged',
  'SupportInteractionRecorded',
]);
