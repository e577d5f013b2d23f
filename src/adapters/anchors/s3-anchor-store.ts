import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { AnchorExistsError, type AnchorStore, type StoredAnchor } from '../../application/ports/anchor-store.js';
import type { Clock } from '../../application/ports/runtime.js';

export interface S3AnchorSettings {
  readonly bucket: string;
  /** Key prefix, e.g. `anchors/`; empty for the bucket's root. */
  readonly prefix: string;
  /** How long each anchor is locked in COMPLIANCE mode: nobody, root included, can delete or shorten it before then. */
  readonly retentionDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Anchors in an S3 bucket with Object Lock (the bucket must have it enabled, which also turns on versioning).
 * Each anchor is put once in COMPLIANCE mode until its retention ends, with a SHA-256 content checksum (S3 refuses
 * Object Lock puts without a checksum) and `If-None-Match: *`, so that a name already taken is refused (412) rather
 * than shadowed by a newer version.
 */
export class S3AnchorStore implements AnchorStore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly settings: S3AnchorSettings,
    private readonly clock: Clock,
  ) {
    this.location = `s3://${settings.bucket}/${settings.prefix}`;
  }

  async write(name: string, body: string): Promise<void> {
    const bytes = Buffer.from(body, 'utf8');
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: `${this.settings.prefix}${name}`,
          Body: bytes,
          ContentType: 'application/json',
          ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
          IfNoneMatch: '*',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: new Date(Date.parse(this.clock.now()) + this.settings.retentionDays * DAY_MS),
        }),
      );
    } catch (error) {
      if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 412 || error.name === 'PreconditionFailed')) {
        throw new AnchorExistsError(`anchor ${name} exists in ${this.location}; anchors are never overwritten`);
      }
      throw error;
    }
  }

  async latest(): Promise<StoredAnchor | null> {
    let last: string | undefined;
    let token: string | undefined;
    // Keys list in UTF-8 byte order, and anchor names sort by time: the newest is the last key of the last page.
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: `${this.settings.prefix}checkpoint-`, ContinuationToken: token }));
      last = page.Contents?.at(-1)?.Key ?? last;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    if (last === undefined) return null;
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: last }));
    const body = (await object.Body?.transformToString('utf8')) ?? '';
    return { name: last.slice(this.settings.prefix.length), body };
  }
}
