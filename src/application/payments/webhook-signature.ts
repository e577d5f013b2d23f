import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as Stripe makes them: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<rawBody>">`.
 * The time is signed with the body, so a captured webhook cannot be replayed once it is older than the tolerance;
 * several `v1` entries may be given (a gateway rolling its secret signs with both).
 */
export const signWebhook = (secret: string, rawBody: string, unixSeconds: number): string => `t=${unixSeconds},v1=${digestOf(secret, unixSeconds, rawBody)}`;

/** Why a signature was refused: the wording goes back to the sender, so it says what to fix and nothing of the secret. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'outside-tolerance';

export interface SignatureCheck {
  readonly secret: string;
  readonly nowSeconds: number;
  /** How far the signed time may lie from now, either way (clock skew), in seconds. */
  readonly toleranceSeconds: number;
}

const digestOf = (secret: string, unixSeconds: number, rawBody: string): string =>
  createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`, 'utf8').digest('hex');

const MAX_HEADER_LENGTH = 1024;
const TIMESTAMP = /^\d{1,12}$/;
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

interface ParsedHeader {
  readonly timestamp: number;
  readonly digests: readonly string[];
}

const parse = (header: string): ParsedHeader | null => {
  if (header.length > MAX_HEADER_LENGTH) return null;
  let timestamp: number | null = null;
  const digests: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 0) return null;
    if (key === 't') {
      if (timestamp !== null || !TIMESTAMP.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_DIGEST.test(value)) return null;
      digests.push(value.toLowerCase());
    }
    // Other schemes (v0, a future v2) are ignored, as Stripe's libraries do.
  }
  return timestamp === null || digests.length === 0 ? null : { timestamp, digests };
};

/** Null when the header signs this body with the secret, within the tolerance; otherwise what is wrong. */
export const checkWebhookSignature = (rawBody: string, header: string | undefined, check: SignatureCheck): SignatureProblem | null => {
  if (header === undefined || header.trim() === '') return 'missing';
  const parsed = parse(header);
  if (parsed === null) return 'malformed';
  const expected = Buffer.from(digestOf(check.secret, parsed.timestamp, rawBody), 'hex');
  // Constant time: how much of a guessed digest matches must not show in how long the answer takes.
  const matches = parsed.digests.some((digest) => timingSafeEqual(Buffer.from(digest, 'hex'), expected));
  if (!matches) return 'mismatch';
  return Math.abs(check.nowSeconds - parsed.timestamp) > check.toleranceSeconds ? 'outside-tolerance' : null;
};
