/**
 * PutEventsResultEntry.ErrorCode (API reference): InternalFailure and ThrottlingException are retryable;
 * AccessDeniedException, InvalidAccountIdException, InvalidArgument, MalformedDetail, RedactionFailure,
 * NotAuthorizedForSourceException and NotAuthorizedForDetailTypeException are not.
 */
const RETRYABLE_ENTRY_CODES: ReadonlySet<string> = new Set(['InternalFailure', 'ThrottlingException']);

export const isRetryableEntryCode = (code: string): boolean => RETRYABLE_ENTRY_CODES.has(code);

const THROTTLING_CALL_ERRORS: ReadonlySet<string> = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

export interface CallFailure {
  readonly retryable: boolean;
  readonly code: string;
  readonly message: string;
}

/**
 * What a failed SDK call means, in terms the publisher acts on. Throttling, 5xx and network errors
 * (no HTTP status at all) are worth another try; any other 4xx is the bus refusing the request.
 */
export const describeCallFailure = (error: unknown): CallFailure => {
  const failure = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const code = typeof failure.name === 'string' ? failure.name : 'UnknownError';
  const message = typeof failure.message === 'string' ? failure.message : String(error);
  const status = failure.$metadata?.httpStatusCode;
  const retryable = THROTTLING_CALL_ERRORS.has(code) || status === undefined || status >= 500;
  return { retryable, code, message };
};
