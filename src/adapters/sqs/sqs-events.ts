/** A message attribute as Lambda hands it over (`String`, `Number`, `Binary` or a custom `String.x` type). */
export interface SqsMessageAttribute {
  readonly stringValue?: string;
  readonly binaryValue?: string;
  readonly stringListValues?: readonly string[];
  readonly binaryListValues?: readonly string[];
  readonly dataType: string;
}

/** One message of an SQS event source mapping's batch, as Lambda hands it over. */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, SqsMessageAttribute>>;
  readonly md5OfBody: string;
  readonly eventSource: 'aws:sqs';
  /** The queue's ARN: a FIFO queue's ends in `.fifo`. */
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}

/** The partial batch response (the mapping needs `FunctionResponseTypes: ["ReportBatchItemFailures"]`): the messages to deliver again. */
export interface SqsBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}
