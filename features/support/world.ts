import { randomUUID } from 'node:crypto';
import { After, AfterAll, Before, BeforeAll, setWorldConstructor, World } from '@cucumber/cucumber';
import type { Result } from 'neverthrow';
import type { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import type { CommandError, CommandOutcome } from '../../src/application/commands/command-error.js';
import type { CommandContext } from '../../src/application/commands/command-executor.js';
import { streamIdOf } from '../../src/application/events/envelope.js';
import type { LoadTarget } from '../../src/application/repository/aggregate-repository.js';
import type { AggregateDefinition, DomainEvent } from '../../src/domain/index.js';
import type { App } from '../../src/main/app.js';
import { featureStore, openFeatureApp, prepareStore, releaseStores, type FeatureApp, type FeatureAppOptions } from './app-factory.js';
import { storeExclusions } from './store-exclusions.js';

export type CommandResult = Result<CommandOutcome, CommandError>;
export type Send = (context: CommandContext) => Promise<CommandResult>;

/** One command a scenario sent, what it returned, and its stream's version just before. */
export interface Attempt {
  readonly streamId: string;
  readonly send: Send;
  readonly context: CommandContext;
  readonly result: CommandResult;
  readonly versionBefore: number;
}

/** What every step shares: the application under test, its clock, and what the scenario has sent so far. */
export class FeatureWorld extends World {
  #opened: FeatureApp | null = null;
  #pendingKey: string | undefined;
  readonly #attempts: Attempt[] = [];
  // The payment a scenario made for each order (the latest), by the names the feature gives.
  readonly #payments = new Map<string, string>();
  // Names in the features (ORD-1, SKU-1, Ada) get a per-scenario suffix, so that scenarios never meet in a shared store.
  readonly #run = randomUUID().slice(0, 8);
  // Stream versions a step noted before it acted, for a later step to compare with.
  readonly #noted = new Map<string, number>();

  async open(options: FeatureAppOptions = {}): Promise<void> {
    this.#opened = await openFeatureApp(undefined, options);
  }

  async close(): Promise<void> {
    await this.#opened?.close();
    this.#opened = null;
  }

  get app(): App {
    return this.#ready().app;
  }

  get clock(): FixedClock {
    return this.#ready().clock;
  }

  /** Runs the order-fulfilment workflow, and the gateway's answers due now, until nothing moves. */
  runWorkflow(): Promise<void> {
    return this.#ready().run();
  }

  /** Moves time on, the clock and the gateway's timers together: its answers that fall due arrive; the workflow does not run. */
  passTime(ms: number): Promise<void> {
    return this.#ready().answerGateway(ms);
  }

  /** Notes the versions of these streams now, for a later step to compare with. */
  async noteVersions(streamIds: readonly string[]): Promise<void> {
    for (const streamId of streamIds) this.#noted.set(streamId, await this.versionOf(streamId));
  }

  /** The version a step noted for this stream; undefined when none did. */
  notedVersionOf(streamId: string): number | undefined {
    return this.#noted.get(streamId);
  }

  /** The id this scenario uses for a name the feature gives. */
  id(name: string): string {
    return `${name}-${this.#run}`;
  }

  streamOf(aggregateType: string, name: string): string {
    return streamIdOf(aggregateType, this.id(name));
  }

  async versionOf(streamId: string): Promise<number> {
    return (await this.app.eventStore.readStream(streamId)).at(-1)?.version ?? 0;
  }

  /** An aggregate's state loaded through the application's repository, now or as of a point in its history. */
  async stateOf<S, E extends DomainEvent>(definition: AggregateDefinition<S, E>, name: string, target: LoadTarget = {}): Promise<S> {
    const loaded = await this.app.repository.load(definition, this.id(name), target);
    if (loaded.isErr()) throw new Error(`${definition.type} ${name} does not load: ${loaded.error.code}: ${loaded.error.message}`);
    return loaded.value.state;
  }

  /** The payment the scenario made for an order last, by its name in the feature; undefined when none. */
  paymentOf(order: string): string | undefined {
    return this.#payments.get(order);
  }

  rememberPayment(order: string, payment: string): void {
    this.#payments.set(order, payment);
  }

  /** Whether the stream of a name the feature gives holds any event. */
  async exists(aggregateType: string, name: string): Promise<boolean> {
    return (await this.versionOf(this.streamOf(aggregateType, name))) > 0;
  }

  /** The next command sent carries this idempotency key. */
  carryIdempotencyKey(key: string): void {
    this.#pendingKey = key;
  }

  /** Sends a command whose outcome the scenario then checks: a refusal is recorded, not thrown. */
  async attempt(streamId: string, send: Send): Promise<void> {
    await this.#send(streamId, send, this.#context());
  }

  /** Sends the last command again, exactly as it was sent, idempotency key included. */
  async repeatLast(): Promise<void> {
    const last = this.lastAttempt;
    await this.#send(last.streamId, last.send, last.context);
  }

  /** Brings the application to where a scenario starts: a refusal here means the scenario itself is wrong. */
  async given(send: Send): Promise<CommandOutcome> {
    const result = await send(this.#context());
    if (result.isErr()) throw new Error(`the scenario's set-up was refused: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  /**
   * A set-up a Given step makes on the way to where the scenario starts (a customer registered, an order paid
   * for): like `given`, but it never takes the idempotency key the scenario meant for the step's own command.
   */
  async prepare(send: Send): Promise<CommandOutcome> {
    const result = await send({ metadata: { correlationId: randomUUID(), causationId: null, actor: 'features' } });
    if (result.isErr()) throw new Error(`the scenario's set-up was refused: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  get attempts(): readonly Attempt[] {
    return this.#attempts;
  }

  get lastAttempt(): Attempt {
    const last = this.#attempts.at(-1);
    if (last === undefined) throw new Error('no command was sent in this scenario yet');
    return last;
  }

  async #send(streamId: string, send: Send, context: CommandContext): Promise<void> {
    const versionBefore = await this.versionOf(streamId);
    this.#attempts.push({ streamId, send, context, result: await send(context), versionBefore });
  }

  #context(): CommandContext {
    const key = this.#pendingKey;
    this.#pendingKey = undefined;
    const metadata = { correlationId: randomUUID(), causationId: null, actor: 'features' };
    return key === undefined ? { metadata } : { metadata, idempotencyKey: this.id(key) };
  }

  #ready(): FeatureApp {
    if (this.#opened === null) throw new Error('the application is not open: the Before hook did not run');
    return this.#opened;
  }
}

setWorldConstructor(FeatureWorld);

// The run's store starts once, before the first scenario: a server or DynamoDB Local takes seconds, PGlite's first folder more.
BeforeAll({ timeout: 120_000 }, async () => {
  const store = featureStore();
  // Once per run, not once per parallel worker.
  if ((process.env.CUCUMBER_WORKER_ID ?? '0') === '0') {
    for (const { where, name, reason } of storeExclusions(store)) console.log(`not run on ${store}: ${name} (${where}): ${reason}`);
  }
  await prepareStore(store);
});

// A scenario that runs the order-fulfilment workflow gets a store of its own: the workflow follows the whole log.
// Opening one (a PGlite folder, a set of DynamoDB tables) can take seconds on a loaded machine.
Before({ timeout: 30_000 }, async function (this: FeatureWorld, { pickle }) {
  // A store's profile leaves out what cannot pass on that store: run with another store, it would leave out the wrong things.
  const profiled = (this.parameters as { store?: string }).store;
  if (profiled !== undefined && profiled !== featureStore()) throw new Error(`the ${profiled} profile runs with FEATURES_STORE=${profiled}; got ${featureStore()}`);
  await this.open({ ownStore: pickle.tags.some((tag) => tag.name === '@workflow') });
});

After({ timeout: 30_000 }, async function (this: FeatureWorld) {
  await this.close();
});

AfterAll({ timeout: 60_000 }, async () => {
  await releaseStores();
});
