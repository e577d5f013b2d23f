/**
 * The package's main entry: the application as a library. Open it for an environment (`openApp`, or one of
 * `event-sourcing-core/environments`), send commands, read queries, close it. What this file and the other
 * entries (`./ports`, `./domain`, `./environments`) do not export is internal and may change without notice.
 */
export { openApp, type OpenAppOptions, type Settings } from './main/open-app.js';
export { appFrom, type App } from './main/app.js';
export { createContainer, type Runtime } from './main/container.js';
export { ConfigError, loadConfig, type AppConfig, type MetricsOutput, type StoreKind } from './main/config.js';
export { ConfigProblems, loadConfigNamingAll } from './main/config-problems.js';
export type { ReadModelSettings } from './main/read-model-config.js';
export { FixedClock, RandomUuids, SystemClock } from './adapters/runtime/system-runtime.js';

// Commands as a transport sends them, and what handling one gives back.
export type { CommandOfType, CustomerCommand, InventoryCommand, OrderCommand, PaymentCommand } from './application/commands/commands.js';
export type { Command, HandlesCommands } from './application/commands/command-handler.js';
export type { CommandContext } from './application/commands/command-executor.js';
export type { CommandError, CommandOutcome, IdempotencyError } from './application/commands/command-error.js';
export type { EventEnvelope, EventMetadata, NewEvent } from './application/events/envelope.js';

// What queries answer with.
export type { OrderSummary } from './application/ports/order-read-model.js';
export type { InventoryLevel, SupportHistoryEntry, SupportHistoryKind } from './application/ports/read-models.js';

// Every code a command, query or operation can be refused with (the domain's own are in `./domain` too).
export { PROJECTION_ERRORS, QUERY_ERRORS, type ApplicationErrorCode } from './application/error-codes.js';
