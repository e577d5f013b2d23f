import type { FastifyServerOptions } from 'fastify';
import { maskCardNumbers } from '../../domain/index.js';
import { sharedLogOptions } from '../logs/log-options.js';

/** A URL as logged: percent-decoded where it can be (so that `%20` cannot hide a card number) and with card numbers masked. */
export const loggableUrl = (url: string): string => {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: the raw URL is scanned as it is.
  }
  return decoded === url ? maskCardNumbers(url) : maskCardNumbers(decoded);
};

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly hostname?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number };
}

/**
 * The service's logger options with the redaction list and the trace id of the events' logger added, and URLs
 * masked: fastify logs each request's URL before any route runs, and a path parameter
 * (`/orders/4111111111111111/ship`) would otherwise carry a card number into the log.
 */
export const withRedaction = (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] => {
  if (logger === false || logger === undefined) return false;
  const options = logger === true ? {} : logger;
  const shared = sharedLogOptions();
  return {
    ...options,
    ...shared,
    serializers: {
      ...(options.serializers ?? {}),
      ...shared.serializers,
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: loggableUrl(request.url ?? ''),
        host: request.hostname,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
};
