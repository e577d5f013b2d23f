/**
 * `event-sourcing-core/domain`: the pure deciders (order, payment, inventory, customer, the order-fulfilment
 * workflow), their events, states and error codes. It imports nothing but neverthrow.
 */
export * from './domain/index.js';
