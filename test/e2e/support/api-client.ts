import { STAFF, tokenFor, type Caller } from '../../support/auth-tokens.js';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads whatever JSON came back
  readonly body: any;
}

/** A token minted elsewhere (`npm run cli -- token`, an identity provider). */
export interface BearerToken {
  readonly token: string;
}

export interface Api {
  get(path: string, headers?: Record<string, string>): Promise<ApiResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** The same service, called as someone else (null: with no token). */
  as(other: Caller | BearerToken | null): Api;
}

/**
 * fetch over real HTTP, JSON in and out, with a bearer token for `caller` (the back office unless told otherwise),
 * or the token given (one the CLI minted); null sends none. A call's own `authorization` header wins.
 */
export const apiClient = (baseUrl: string, caller: Caller | BearerToken | null = STAFF): Api => {
  let token: Promise<string> | null = null;
  const minted = (who: Caller | BearerToken): Promise<string> => ('token' in who ? Promise.resolve(who.token) : tokenFor(who));
  const authorization = async (): Promise<Record<string, string>> => (caller === null ? {} : { authorization: `Bearer ${await (token ??= minted(caller))}` });
  const call = async (method: string, path: string, body?: unknown, given: Record<string, string> = {}): Promise<ApiResponse> => {
    const headers = { ...(await authorization()), ...given };
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
    return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) => call('PATCH', path, body, headers),
    as: (other) => apiClient(baseUrl, other),
  };
};

/**
 * Read models follow the log a moment behind the commands: polls until `read` passes or the deadline ends,
 * then fails with its last error. (A deadline bounds the wait; it is not a speed assertion.)
 */
export const eventually = async <T>(read: () => Promise<T>, deadlineMs = 15_000): Promise<T> => {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
};
