import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

export interface DynamoDbSettings {
  /** Null: the region's AWS endpoint; else e.g. DynamoDB Local's `http://127.0.0.1:8000`. */
  readonly endpoint: string | null;
  readonly region: string;
  /** Put in front of every table name, so that one account holds several environments (`prod-`, `staging-`). */
  readonly tablePrefix: string;
  readonly billingMode: BillingMode;
}

/**
 * What both SDK clients are built from. A local endpoint without AWS credentials in the environment gets
 * placeholder ones: DynamoDB Local checks that they are present, not what they are.
 */
const clientConfig = (settings: DynamoDbSettings) => {
  const local = settings.endpoint !== null && process.env.AWS_ACCESS_KEY_ID === undefined && process.env.AWS_PROFILE === undefined;
  return {
    region: settings.region,
    ...(settings.endpoint === null ? {} : { endpoint: settings.endpoint }),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  };
};

export const dynamoDbClient = (settings: DynamoDbSettings): DynamoDBClient => new DynamoDBClient(clientConfig(settings));

export const dynamoDbStreamsClient = (settings: DynamoDbSettings): DynamoDBStreamsClient => new DynamoDBStreamsClient(clientConfig(settings));

/** Plain JavaScript values in and out; `undefined` fields are dropped rather than refused. */
export const documentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
