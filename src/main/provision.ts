import { Command } from 'commander';
import { dynamoDbClient } from '../adapters/dynamodb/dynamodb-settings.js';
import { provisionTables } from '../adapters/dynamodb/provisioning.js';
import { tableDefinitions, tableNames } from '../adapters/dynamodb/table-definitions.js';
import { ConfigError, loadConfig } from './config.js';

/**
 * `tsx src/main/provision.ts [--print]` (`npm run provision`): creates or updates every table the DynamoDB environment
 * uses and waits until they are ACTIVE, or prints their CreateTable definitions as JSON for infrastructure-as-code.
 * Settings come from the environment: DYNAMODB_ENDPOINT, AWS_REGION, DYNAMODB_TABLE_PREFIX, DYNAMODB_BILLING_MODE.
 */
const main = async (): Promise<void> => {
  const options = new Command('provision-dynamodb')
    .description('Create or update the DynamoDB tables (idempotent) and wait until they are ACTIVE')
    .option('--print', 'print the table definitions as JSON instead of provisioning')
    .parse()
    .opts<{ print?: boolean }>();
  const settings = loadConfig(process.env, { store: 'dynamodb' }).dynamodb;
  const definitions = tableDefinitions(tableNames(settings.tablePrefix), settings.billingMode);
  if (options.print) {
    console.log(JSON.stringify(definitions, null, 2));
    return;
  }
  const client = dynamoDbClient(settings);
  try {
    console.log(`provisioning ${definitions.length} tables (prefix ${JSON.stringify(settings.tablePrefix)}, ${settings.billingMode}) at ${settings.endpoint ?? `AWS ${settings.region}`}`);
    for (const table of await provisionTables(client, definitions, { pollMs: settings.endpoint === null ? 1_000 : 100 })) {
      console.log(`${table.table.padEnd(40)} ${table.action.padEnd(10)} point-in-time recovery: ${table.pointInTimeRecovery}`);
    }
  } finally {
    client.destroy();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  process.exitCode = 1;
});
