import type { FastifyInstance, InjectOptions } from 'fastify';

/** An API Gateway HTTP API event, payload format version 2.0, as Lambda hands it over (the fields read here, and those a test needs to look real). */
export interface ApiGatewayHttpEvent {
  readonly version: '2.0';
  readonly routeKey: string;
  /** The path as sent, stage included when the stage is not `$default`. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Lower-cased names; a repeated header's values joined with commas. */
  readonly headers: Readonly<Record<string, string>>;
  /** The Cookie header, one cookie an item (API Gateway takes it out of `headers`). */
  readonly cookies?: readonly string[];
  readonly queryStringParameters?: Readonly<Record<string, string>>;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly domainName: string;
    readonly domainPrefix: string;
    readonly requestId: string;
    readonly routeKey: string;
    readonly stage: string;
    readonly time: string;
    readonly timeEpoch: number;
    readonly http: { readonly method: string; readonly path: string; readonly protocol: string; readonly sourceIp: string; readonly userAgent: string };
  };
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

/** What the function answers (payload format 2.0): each Set-Cookie in `cookies`, other headers as single strings. */
export interface ApiGatewayHttpResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly cookies?: string[];
}

/** Bodies of these types go back as text; anything else base64, so that no byte is lost on the way. */
const TEXTUAL = /^(text\/|application\/([a-z0-9.+-]*\+)?(json|xml|yaml|javascript)|application\/x-www-form-urlencoded)/i;

/**
 * The path the routes know: a named stage's prefix taken off (`/prod/orders` is `/orders` on stage prod); on the
 * `$default` stage, or behind a custom domain's mapping, the path is as sent.
 */
const pathOf = (event: ApiGatewayHttpEvent): string => {
  const { stage } = event.requestContext;
  const prefix = `/${stage}`;
  if (stage === '$default' || !(event.rawPath === prefix || event.rawPath.startsWith(`${prefix}/`))) return event.rawPath;
  return event.rawPath.slice(prefix.length) || '/';
};

/** The event as the request fastify would have read off a socket. */
export const injectionOf = (event: ApiGatewayHttpEvent): InjectOptions => {
  const headers: Record<string, string> = { ...event.headers };
  if (event.cookies !== undefined && event.cookies.length > 0) headers.cookie = event.cookies.join('; ');
  const query = event.rawQueryString === '' ? '' : `?${event.rawQueryString}`;
  return {
    method: event.requestContext.http.method as InjectOptions['method'],
    url: `${pathOf(event)}${query}`,
    headers,
    remoteAddress: event.requestContext.http.sourceIp,
    ...(event.body === undefined ? {} : { payload: Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') }),
  };
};

/** The answer as API Gateway takes it back. */
export const resultOf = (response: Awaited<ReturnType<FastifyInstance['inject']>>): ApiGatewayHttpResult => {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    if (name === 'set-cookie') cookies = [value].flat().map(String);
    else headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const textual = TEXTUAL.test(headers['content-type'] ?? '') || response.rawPayload.length === 0;
  return {
    statusCode: response.statusCode,
    headers,
    body: textual ? response.payload : response.rawPayload.toString('base64'),
    isBase64Encoded: !textual,
    ...(cookies.length === 0 ? {} : { cookies }),
  };
};

/** One event through the server's routes, hooks and error handler, as a request on its socket would go. */
export const answerHttpEvent = async (server: FastifyInstance, event: ApiGatewayHttpEvent): Promise<ApiGatewayHttpResult> => resultOf(await server.inject(injectionOf(event)));
