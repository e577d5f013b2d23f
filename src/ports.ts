/**
 * `event-sourcing-core/ports`: the application's ports, what an adapter of your own implements (every port has a
 * contract suite in test/contracts that an adapter must pass), and the event envelope they speak in.
 */
export * from './application/ports/anchor-store.js';
export * from './application/ports/checkpoint-store.js';
export * from './application/ports/committed-event-feed.js';
export * from './application/ports/data-key-store.js';
export * from './application/ports/dead-letter-sink.js';
export * from './application/ports/deadline-scheduler.js';
export * from './application/ports/event-archive.js';
export * from './application/ports/event-import.js';
export * from './application/ports/event-publisher.js';
export * from './application/ports/event-store.js';
export * from './application/ports/export-file.js';
export * from './application/ports/idempotency-store.js';
export * from './application/ports/lease-store.js';
export * from './application/ports/logger.js';
export * from './application/ports/master-key.js';
export * from './application/ports/metrics.js';
export * from './application/ports/order-read-model.js';
export * from './application/ports/payment-gateway.js';
export * from './application/ports/projection-transactions.js';
export * from './application/ports/read-models.js';
export * from './application/ports/runtime.js';
export * from './application/ports/snapshot-store.js';
export * from './application/ports/stored-text.js';
export * from './application/ports/tracing.js';
export * from './application/ports/transient-failure.js';
export * from './application/events/envelope.js';
