import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const ARN_PREFIX = 'arn:aws:kms:eu-west-1:123456789012:key/';

class KmsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The encryption context as bytes, keys sorted: KMS binds it to the ciphertext as additional authenticated data. */
const contextBytes = (context: unknown): Buffer => {
  const entries = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
  return Buffer.from(JSON.stringify(entries));
};

/**
 * A local KMS endpoint speaking GenerateDataKey and Decrypt in the AWS JSON 1.1 protocol (POST /, X-Amz-Target
 * TrentService.<Operation>, base64 blobs), with KMS's refusals of a wrong encryption context
 * (InvalidCiphertextException) and an unknown key (NotFoundException). The real SDK client talks to it.
 */
export class KmsFake {
  readonly calls: string[] = [];
  readonly #keys = new Map<string, Buffer>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<KmsFake> {
    const server = createServer();
    const fake = new KmsFake(server);
    server.on('request', (request, response) => void fake.#handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A new symmetric KMS key; its id. */
  createKey(): string {
    const id = randomUUID();
    this.#keys.set(id, randomBytes(32));
    return id;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #key(keyId: unknown): [string, Buffer] {
    const id = String(keyId ?? '').replace(ARN_PREFIX, '');
    const key = this.#keys.get(id);
    if (key === undefined) throw new KmsError(400, 'NotFoundException', `Key '${ARN_PREFIX}${id}' does not exist`);
    return [id, key];
  }

  #generateDataKey(body: Record<string, unknown>): object {
    if (body.KeySpec !== 'AES_256') throw new KmsError(400, 'ValidationException', 'KeySpec must be AES_256 here');
    const [id, key] = this.#key(body.KeyId);
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(contextBytes(body.EncryptionContext));
    const blob = Buffer.concat([Buffer.from(id), iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { KeyId: `${ARN_PREFIX}${id}`, Plaintext: plaintext.toString('base64'), CiphertextBlob: blob.toString('base64') };
  }

  #decrypt(body: Record<string, unknown>): object {
    const blob = Buffer.from(String(body.CiphertextBlob ?? ''), 'base64');
    const [id, key] = this.#key(blob.subarray(0, 36).toString());
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(36, 48)).setAAD(contextBytes(body.EncryptionContext)).setAuthTag(blob.subarray(blob.length - 16));
      const plaintext = Buffer.concat([decipher.update(blob.subarray(48, blob.length - 16)), decipher.final()]);
      return { KeyId: `${ARN_PREFIX}${id}`, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    } catch {
      throw new KmsError(400, 'InvalidCiphertextException', '');
    }
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const reply = (status: number, body: object): void => {
      response.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(body));
    };
    const target = String(request.headers['x-amz-target'] ?? '');
    this.calls.push(target);
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      if (target === 'TrentService.GenerateDataKey') return reply(200, this.#generateDataKey(body));
      if (target === 'TrentService.Decrypt') return reply(200, this.#decrypt(body));
      throw new KmsError(400, 'UnknownOperationException', `unknown operation ${target}`);
    } catch (error) {
      if (error instanceof KmsError) return reply(error.status, { __type: error.type, message: error.message });
      return reply(500, { __type: 'KMSInternalException', message: String(error) });
    }
  }
}
