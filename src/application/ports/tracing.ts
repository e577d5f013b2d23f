/**
 * A span's context as W3C Trace Context headers (`traceparent`, and `tracestate` when there is one): plain strings,
 * stored in the metadata of the events created under it. Empty when tracing is off.
 */
export type TraceContext = Readonly<Record<string, string>>;

/** What a command came to: it appended events, had nothing to do, or was refused with a code. */
export type CommandSpanOutcome =
  | { readonly kind: 'accepted'; readonly version: number; readonly events: number }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly code: string };

export type CommandStep = 'load' | 'decide' | 'append';

/** The span of one command, from its facts to its append (conflict retries included). */
export interface CommandSpan {
  /** The command span's own context: the creation context of every event it appends. */
  readonly context: TraceContext;
  /** Runs one step of the command as a child span; returns what `work` returns (a promise is awaited for the span). */
  step<T>(name: CommandStep, work: () => T): T;
  /** A conflicting append sent the command round again on fresh state. */
  conflictRetried(): void;
  settled(outcome: CommandSpanOutcome): void;
}

export interface CommandSpanStart {
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The command's type, e.g. PlaceOrder. */
  readonly command: string;
  /**
   * The caller's context, as it came with the command (an HTTP request's or a queue message's W3C headers): the span
   * continues the caller's trace as its child. One that is malformed is ignored (W3C Trace Context: the trace restarts).
   */
  readonly parent?: TraceContext;
}

/** An event as the relay and the consumers see it: its id, its type and the context it was created in. */
export interface TracedMessage {
  readonly id: string;
  readonly type: string;
  /** Null when it was stored without one (tracing was off where it was appended). */
  readonly context: TraceContext | null;
}

/** A span messages are published or processed in. */
export interface MessagingSpan {
  /** The span's own context: what goes with a message that carries no creation context of its own. */
  readonly context: TraceContext;
}

export interface PublishSpanStart {
  /** Where the messages go (the bus's name). */
  readonly destination: string;
  /** The messages, asked for only when tracing is on: each becomes a link to its creation context. */
  readonly messages: () => readonly TracedMessage[];
}

export interface ProcessSpanStart {
  /** The consumer (projection, workflow) doing the processing. */
  readonly consumer: string;
  /** The batch's messages this consumer acts on, asked for only when tracing is on. None: the work runs without a span. */
  readonly messages: () => readonly TracedMessage[];
}

export interface ProcessOneStart {
  readonly consumer: string;
  /** The one message processed: the span continues its trace (its creation context is the parent) and links to it. */
  readonly message: TracedMessage;
}

/**
 * Traces in the application's words: a command's span (load, decide, append), the relay's publish span and the
 * consumers' process spans, each linked to the creation context stored in the events' metadata (the messaging
 * semantic conventions: create, publish, process). Each span is the active one while its work runs, so that
 * whatever that work logs or calls is part of it. Work that throws marks its span failed and throws on.
 */
export interface Tracing {
  command<T>(start: CommandSpanStart, work: (span: CommandSpan) => Promise<T>): Promise<T>;
  publish<T>(start: PublishSpanStart, work: (span: MessagingSpan) => Promise<T>): Promise<T>;
  /** A batch processed as one: a link per message. */
  processBatch<T>(start: ProcessSpanStart, work: (span: MessagingSpan) => Promise<T>): Promise<T>;
  /** One message processed on its own (a workflow's input): the commands it issues are its children. */
  processOne<T>(start: ProcessOneStart, work: (span: MessagingSpan) => Promise<T>): Promise<T>;
}

/** No context: nothing is added to metadata. Frozen, so that every caller can share it. */
export const NO_TRACE_CONTEXT: TraceContext = Object.freeze({});

/** The span a command runs in when nobody traces it (the executor called directly, or tracing off). */
export const UNTRACED_COMMAND: CommandSpan = Object.freeze({
  context: NO_TRACE_CONTEXT,
  step: <T>(_name: CommandStep, work: () => T): T => work(),
  conflictRetried: () => undefined,
  settled: () => undefined,
});

const UNTRACED_MESSAGING: MessagingSpan = Object.freeze({ context: NO_TRACE_CONTEXT });

/** Tracing off: every piece of work runs as it is, nothing is recorded or added, and no message list is ever built. */
export const NO_TRACING: Tracing = Object.freeze({
  command: <T>(_start: CommandSpanStart, work: (span: CommandSpan) => Promise<T>): Promise<T> => work(UNTRACED_COMMAND),
  publish: <T>(_start: PublishSpanStart, work: (span: MessagingSpan) => Promise<T>): Promise<T> => work(UNTRACED_MESSAGING),
  processBatch: <T>(_start: ProcessSpanStart, work: (span: MessagingSpan) => Promise<T>): Promise<T> => work(UNTRACED_MESSAGING),
  processOne: <T>(_start: ProcessOneStart, work: (span: MessagingSpan) => Promise<T>): Promise<T> => work(UNTRACED_MESSAGING),
});
