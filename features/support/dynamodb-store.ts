import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { openDynamoDb, type DynamoDbAdapters } from '../../src/adapters/dynamodb/open-dynamodb.js';
import { dynamoDbClient, type DynamoDbSettings } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { tableDefinitions } from '../../src/adapters/dynamodb/table-definitions.js';
import type { Clock } from '../../src/application/ports/runtime.js';
import { containerOver } from '../../src/main/container.js';
import { dynamoDbPortsModule } from '../../src/main/dynamodb-module.js';
import { SHORT_RUN_JVM, startDynamoDbLocal, type DynamoDbLocal } from '../../test/support/dynamodb-local.js';
import { ScenarioClock } from './scenario-clock.js';
import type { StoreSetup } from './store-setup.js';

interface DynamoDbRun {
  readonly server: DynamoDbLocal;
  /** The master key's folder: the run's data keys die with its tables. */
  readonly dataDir: string;
  /** The tables every scenario that can share a store shares, open for the whole run. */
  readonly shared: DynamoDbAdapters;
  readonly sharedSettings: DynamoDbSettings;
  readonly clock: ScenarioClock;
}

// One DynamoDB Local for the run, and one set of tables that the scenarios share (each names its own streams), opened
// once: provisioning checks every table, longer than most scenarios take. A scenario that needs a store of its own
// gets tables under another prefix; none are deleted, as deleted stream-enabled tables slow DynamoDB Local down.
let run: Promise<DynamoDbRun> | null = null;

const settingsOn = (server: DynamoDbLocal): DynamoDbSettings => ({
  endpoint: server.endpoint,
  region: 'us-east-1',
  tablePrefix: `f${randomUUID().slice(0, 8)}-`,
  billingMode: 'PAY_PER_REQUEST',
});

/**
 * The tables, provisioned as the application provisions them, then with TTL off. The scenarios' clock stands in
 * March 2026 while DynamoDB's TTL deletes by the wall clock: DynamoDB Local would delete every idempotency record
 * (kept a day past the scenario's time, long past by the wall clock) within seconds of its writing, and a repeated
 * command would run again. The adapters treat a record past its ExpiresAt as absent by the application's clock.
 */
const openTables = async (settings: DynamoDbSettings, clock: Clock): Promise<DynamoDbAdapters> => {
  const adapters = await openDynamoDb({ settings, clock });
  const client = dynamoDbClient(settings);
  try {
    for (const { TableName, TimeToLiveAttribute } of tableDefinitions(adapters.tables, settings.billingMode)) {
      if (TimeToLiveAttribute === undefined) continue;
      await client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: false, AttributeName: TimeToLiveAttribute } }));
    }
    return adapters;
  } catch (error) {
    await adapters.close();
    throw error;
  } finally {
    client.destroy();
  }
};

const startRun = async (): Promise<DynamoDbRun> => {
  const server = await startDynamoDbLocal({ javaOptions: SHORT_RUN_JVM });
  try {
    const clock = new ScenarioClock();
    const sharedSettings = settingsOn(server);
    const shared = await openTables(sharedSettings, clock);
    return { server, dataDir: mkdtempSync(join(tmpdir(), 'es-features-dynamodb-')), shared, sharedSettings, clock };
  } catch (error) {
    await server.stop();
    throw error;
  }
};

/** DynamoDB Local, with the run's shared tables or, for a scenario that needs a store of its own, tables of its own. */
export const dynamoDbStore = async ({ ownStore = false }: { ownStore?: boolean }): Promise<StoreSetup> => {
  run ??= startRun();
  const current = await run;
  if (ownStore) {
    const settings = settingsOn(current.server);
    return {
      config: { store: 'dynamodb', dataDir: current.dataDir, dynamodb: settings },
      compose: async (config, runtime) => {
        const own = await openTables(settings, runtime.clock);
        return containerOver(dynamoDbPortsModule(own, config, runtime, null, () => own.close()), config, runtime);
      },
    };
  }
  return {
    config: { store: 'dynamodb', dataDir: current.dataDir, dynamodb: current.sharedSettings },
    compose: async (config, runtime) => {
      current.clock.current = runtime.clock;
      // Closing a scenario's application leaves the run's tables and clients open for the next.
      return containerOver(dynamoDbPortsModule(current.shared, config, runtime, null, async () => undefined), config, runtime);
    },
  };
};

/** Closes the shared clients, stops the run's DynamoDB Local (its tables live in its memory) and removes the key folder. */
export const releaseDynamoDb = async (): Promise<void> => {
  const finished = run;
  run = null;
  if (finished === null) return;
  const { server, dataDir, shared } = await finished;
  await shared.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
};
