import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RefusedError } from './error-responses.js';
import { REQUEST_ERRORS } from './request-errors.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The body as text, or a 400 when it is not UTF-8 (RFC 8259 8.1). Read as a string, Node would put U+FFFD in
 * place of each bad byte and the command would store text the client never sent.
 */
export const utf8Of = (body: Buffer): string => {
  try {
    return UTF8.decode(body);
  } catch {
    throw new RefusedError({ code: REQUEST_ERRORS.INVALID_ENCODING, message: 'the request body is not valid UTF-8; send JSON encoded as UTF-8' });
  }
};

/** fastify's own JSON parser (prototype poisoning refused), fed only bodies that are valid UTF-8. */
export const useStrictJsonBodies = (app: FastifyInstance): void => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8Of(body);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    parseJson(request, text, done);
  });
};
