import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_REQUEST_BYTES, ServiceError, busNameOf, entryFailure, requestBytes, validateRequest, type EntryFailure, type RequestEntry } from './put-events-rules.js';

type Operation = 'PutEvents' | 'DescribeEventBus';
const OPERATIONS: Readonly<Record<string, Operation>> = { 'AWSEvents.PutEvents': 'PutEvents', 'AWSEvents.DescribeEventBus': 'DescribeEventBus' };
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const ACCOUNT = '123456789012';

export interface FakeEvent {
  readonly eventId: string;
  readonly busName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  /** ISO instant of the entry's Time, or null when it had none. */
  readonly time: string | null;
}

export interface FakeCall {
  readonly operation: Operation;
  readonly status: number;
  readonly entries: number;
  /** The entries' size as EventBridge counts it. */
  readonly requestBytes: number;
  readonly failedEntries: number;
}

export interface EntryFault {
  /** A retryable code (ThrottlingException, InternalFailure) or a permanent one (MalformedDetail, AccessDeniedException ...). */
  readonly code: string;
  /** How many matching entries fail before the fault is used up. */
  readonly times: number;
  /** Which entries, by their parsed detail; every valid entry when absent. */
  readonly when?: (detail: Record<string, unknown>) => boolean;
}

export interface CallFault {
  /** 400 with ThrottlingException, 500 with InternalException, 503 ... */
  readonly status: number;
  readonly type: string;
  readonly times: number;
  readonly operation?: Operation;
}

export interface FakeOptions {
  /** Buses besides `default`. */
  readonly buses?: readonly string[];
  readonly maxRequestBytes?: number;
  readonly region?: string;
}

/**
 * A local EventBridge endpoint speaking PutEvents and DescribeEventBus in the AWS JSON 1.1 protocol
 * (POST /, X-Amz-Target AWSEvents.<Operation>), with the service's limits and validation and faults
 * a test can inject. The real SDK client talks to it through `endpoint`.
 */
export class EventBridgeFake {
  readonly calls: FakeCall[] = [];
  readonly #buses = new Map<string, FakeEvent[]>();
  readonly #dropped: FakeEvent[] = [];
  readonly #entryFaults: { fault: EntryFault; left: number }[] = [];
  readonly #callFaults: { fault: CallFault; left: number }[] = [];
  readonly #created = Math.floor(Date.now() / 1000);

  private constructor(
    private readonly server: Server,
    private readonly options: Required<FakeOptions>,
  ) {}

  static async start(options: FakeOptions = {}): Promise<EventBridgeFake> {
    const settings: Required<FakeOptions> = { buses: options.buses ?? [], maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, region: options.region ?? 'eu-west-1' };
    const server = createServer();
    const fake = new EventBridgeFake(server, settings);
    for (const name of ['default', ...settings.buses]) fake.createBus(name);
    server.on('request', (request, response) => void fake.#handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  createBus(name: string): void {
    if (!this.#buses.has(name)) this.#buses.set(name, []);
  }

  /** What the bus accepted, in arrival order. */
  delivered(busName: string): FakeEvent[] {
    return [...(this.#buses.get(busName) ?? [])];
  }

  /** Entries for buses that do not exist: EventBridge answers them with an EventId and drops them. */
  dropped(): FakeEvent[] {
    return [...this.#dropped];
  }

  failEntries(fault: EntryFault): void {
    this.#entryFaults.push({ fault, left: fault.times });
  }

  failCalls(fault: CallFault): void {
    this.#callFaults.push({ fault, left: fault.times });
  }

  /** Forgets what was delivered, the calls and the faults; the buses stay. */
  reset(): void {
    for (const events of this.#buses.values()) events.length = 0;
    this.#dropped.length = 0;
    this.calls.length = 0;
    this.#entryFaults.length = 0;
    this.#callFaults.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const operation = OPERATIONS[String(request.headers['x-amz-target'])];
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(body));
    };
    const fail = (error: ServiceError, entries = 0, bytes = 0): void => {
      if (operation) this.calls.push({ operation, status: error.status, entries, requestBytes: bytes, failedEntries: 0 });
      reply(error.status, { __type: error.type, message: error.message });
    };
    if (request.method !== 'POST' || request.url !== '/') return fail(new ServiceError(404, 'UnknownOperationException', 'AWS JSON 1.1 requests are POST /'));
    if (!String(request.headers.authorization).startsWith('AWS4-HMAC-SHA256 ')) return fail(new ServiceError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token'));
    if (!operation) return fail(new ServiceError(400, 'UnknownOperationException', `unsupported X-Amz-Target ${String(request.headers['x-amz-target'])}`));
    if (!String(request.headers['content-type']).startsWith(CONTENT_TYPE)) return fail(new ServiceError(400, 'SerializationException', `content type must be ${CONTENT_TYPE}`));
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail(new ServiceError(400, 'SerializationException', 'the request body is not JSON'));
    }
    const injected = this.#takeCallFault(operation);
    if (injected) return fail(new ServiceError(injected.status, injected.type, injected.status >= 500 ? 'An internal error occurred.' : 'Rate exceeded'));
    if (operation === 'DescribeEventBus') return this.#describeEventBus(body, reply, fail);
    const entries = validateRequest(body, this.options.maxRequestBytes);
    if (entries instanceof ServiceError) {
      const list = (body as { Entries?: unknown })?.Entries;
      return fail(entries, Array.isArray(list) ? list.length : 0);
    }
    const results = entries.map((entry) => this.#putEntry(entry));
    const failed = results.filter((result) => 'ErrorCode' in result).length;
    this.calls.push({ operation, status: 200, entries: entries.length, requestBytes: requestBytes(entries), failedEntries: failed });
    reply(200, { FailedEntryCount: failed, Entries: results });
  }

  #describeEventBus(body: unknown, reply: (status: number, body: unknown) => void, fail: (error: ServiceError) => void): void {
    const name = busNameOf((body as { Name?: string }).Name);
    if (!this.#buses.has(name)) return fail(new ServiceError(400, 'ResourceNotFoundException', `Event bus ${name} does not exist.`));
    this.calls.push({ operation: 'DescribeEventBus', status: 200, entries: 0, requestBytes: 0, failedEntries: 0 });
    reply(200, { Name: name, Arn: `arn:aws:events:${this.options.region}:${ACCOUNT}:event-bus/${name}`, CreationTime: this.#created, LastModifiedTime: this.#created });
  }

  #putEntry(entry: RequestEntry): { EventId: string } | EntryFailure {
    const invalid = entryFailure(entry);
    if (invalid) return invalid;
    const detail = JSON.parse(entry.Detail as string) as Record<string, unknown>;
    const injected = this.#takeEntryFault(detail);
    if (injected) return { ErrorCode: injected, ErrorMessage: `injected ${injected}` };
    const busName = busNameOf(entry.EventBusName);
    const event: FakeEvent = {
      eventId: randomUUID(),
      busName,
      source: entry.Source as string,
      detailType: entry.DetailType as string,
      detail,
      time: entry.Time === undefined ? null : new Date(entry.Time * 1000).toISOString(),
    };
    (this.#buses.get(busName) ?? this.#dropped).push(event);
    return { EventId: event.eventId };
  }

  #takeCallFault(operation: Operation): CallFault | null {
    const found = this.#callFaults.find(({ fault, left }) => left > 0 && (fault.operation ?? operation) === operation);
    if (!found) return null;
    found.left -= 1;
    return found.fault;
  }

  #takeEntryFault(detail: Record<string, unknown>): string | null {
    const found = this.#entryFaults.find(({ fault, left }) => left > 0 && (fault.when ?? (() => true))(detail));
    if (!found) return null;
    found.left -= 1;
    return found.fault.code;
  }
}
