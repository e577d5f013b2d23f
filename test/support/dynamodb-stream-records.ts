import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { dynamoDbClient, dynamoDbStreamsClient, type DynamoDbSettings } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { tableNames } from '../../src/adapters/dynamodb/table-definitions.js';

/** Every record of the event table's stream, as GetRecords answers them (what a Lambda event source mapping hands over), with the stream's ARN. */
export const streamRecords = async (settings: DynamoDbSettings, eventTable = tableNames(settings.tablePrefix).events): Promise<{ arn: string; records: StreamRecord[] }> => {
  const tables = dynamoDbClient(settings);
  const streams = dynamoDbStreamsClient(settings);
  try {
    const table = await tables.send(new DescribeTableCommand({ TableName: eventTable }));
    const arn = table.Table?.LatestStreamArn;
    if (arn === undefined) throw new Error('the event table has no stream');
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
    const records: StreamRecord[] = [];
    for (const shard of shards) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        iterator = (page.Records ?? []).length === 0 ? undefined : page.NextShardIterator;
      }
    }
    return { arn, records };
  } finally {
    streams.destroy();
    tables.destroy();
  }
};
