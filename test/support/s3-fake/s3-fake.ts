import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stored version of an object, with its lock as S3 reports it. */
export interface FakeObject {
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
  readonly lockMode: string | null;
  readonly retainUntil: Date | null;
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local S3 endpoint (REST, path-style: /bucket/key) for what the anchor store uses: PutObject with Object Lock
 * (COMPLIANCE/GOVERNANCE and a retain-until date, which S3 accepts only with a content checksum, and If-None-Match: *),
 * GetObject and ListObjectsV2 (prefix, max-keys, continuation tokens). Buckets are made with Object Lock enabled,
 * hence versioned: a put without If-None-Match adds a version, it never replaces a locked one.
 */
export class S3Fake {
  /** bucket -> key -> versions, oldest first. */
  readonly buckets = new Map<string, Map<string, FakeObject[]>>();
  #server: Server | null = null;

  constructor(buckets: readonly string[]) {
    for (const bucket of buckets) this.buckets.set(bucket, new Map());
  }

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** The current version of an object, for assertions. */
  object(bucket: string, key: string): FakeObject | undefined {
    return this.buckets.get(bucket)?.get(key)?.at(-1);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    try {
      const url = new URL(request.url ?? '/', 'http://s3.local');
      const [, bucketName = '', ...keyParts] = url.pathname.split('/');
      const key = decodeURIComponent(keyParts.join('/'));
      const bucket = this.buckets.get(decodeURIComponent(bucketName));
      if (bucket === undefined) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
      if (request.method === 'PUT' && key !== '') return this.#put(bucket, key, request, body, response);
      if (request.method === 'GET' && key !== '') return this.#get(bucket, key, response);
      if (request.method === 'GET' && url.searchParams.get('list-type') === '2') return this.#list(decodeURIComponent(bucketName), bucket, url.searchParams, response);
      throw new S3Error(405, 'MethodNotAllowed', `${request.method} ${url.pathname} is not supported here`);
    } catch (error) {
      const failure = error instanceof S3Error ? error : new S3Error(500, 'InternalError', String(error));
      response.writeHead(failure.status, { 'content-type': 'application/xml' });
      response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${xml(failure.message)}</Message></Error>`);
    }
  }

  #put(bucket: Map<string, FakeObject[]>, key: string, request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const header = (name: string): string | undefined => request.headers[name] as string | undefined;
    const lockMode = header('x-amz-object-lock-mode') ?? null;
    const retain = header('x-amz-object-lock-retain-until-date');
    if ((lockMode === null) !== (retain === undefined)) throw new S3Error(400, 'InvalidRequest', 'x-amz-object-lock-mode and x-amz-object-lock-retain-until-date must be given together');
    if (lockMode !== null && lockMode !== 'COMPLIANCE' && lockMode !== 'GOVERNANCE') throw new S3Error(400, 'InvalidArgument', 'Unknown wormMode directive.');
    const retainUntil = retain === undefined ? null : new Date(retain);
    if (retainUntil !== null && !(retainUntil.getTime() > Date.now())) throw new S3Error(400, 'InvalidArgument', 'The retain until date must be in the future!');
    const sha256 = header('x-amz-checksum-sha256');
    const md5 = header('content-md5');
    const anyChecksum = md5 !== undefined || Object.keys(request.headers).some((name) => /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/.test(name));
    if (lockMode !== null && !anyChecksum) {
      throw new S3Error(400, 'InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
    }
    if (sha256 !== undefined && createHash('sha256').update(body).digest('base64') !== sha256) throw new S3Error(400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    const versions = bucket.get(key) ?? [];
    if (header('if-none-match') === '*' && versions.length > 0) throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    bucket.set(key, [...versions, { body, etag, lastModified: new Date(), lockMode, retainUntil }]);
    response.writeHead(200, { etag, 'x-amz-version-id': String(versions.length + 1) });
    response.end();
  }

  #get(bucket: Map<string, FakeObject[]>, key: string, response: ServerResponse): void {
    const object = bucket.get(key)?.at(-1);
    if (object === undefined) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': object.body.length,
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
      ...(object.lockMode === null ? {} : { 'x-amz-object-lock-mode': object.lockMode, 'x-amz-object-lock-retain-until-date': object.retainUntil?.toISOString() }),
    });
    response.end(object.body);
  }

  #list(name: string, bucket: Map<string, FakeObject[]>, params: URLSearchParams, response: ServerResponse): void {
    const prefix = params.get('prefix') ?? '';
    const maxKeys = Math.min(Number(params.get('max-keys') ?? 1000), 1000);
    const token = params.get('continuation-token');
    const after = token === null ? (params.get('start-after') ?? '') : Buffer.from(token, 'base64').toString('utf8');
    // S3 lists keys in UTF-8 binary order.
    const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix) && Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((key) => {
        const object = bucket.get(key)?.at(-1) as FakeObject;
        return `<Contents><Key>${xml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${xml(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1) ?? '').toString('base64')}</NextContinuationToken>` : '';
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(name)}</Name><Prefix>${xml(prefix)}</Prefix>` +
        `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
    );
  }
}
