import { ContainerModule } from 'inversify';
import { Ed25519CheckpointSigner } from '../adapters/anchors/ed25519-checkpoint-signer.js';
import { FolderAnchorStore } from '../adapters/anchors/folder-anchor-store.js';
import { StoreAudit } from '../application/audit/store-audit.js';
import type { AnchorStore, CheckpointSigner } from '../application/ports/anchor-store.js';
import type { Clock } from '../application/ports/runtime.js';
import type { AuditConfig } from './audit-config.js';
import type { AppConfig } from './config.js';
import { TOKENS } from './tokens.js';

export const anchorStoreOf = (audit: AuditConfig, clock: Clock): AnchorStore => {
  const target = audit.anchors;
  if (target.kind === 'folder') return new FolderAnchorStore(target.folder);
  // The S3 client is loaded on first use: every other set-up (an embedding's memory tests too) goes without it.
  let opened: Promise<AnchorStore> | null = null;
  const s3 = (): Promise<AnchorStore> =>
    (opened ??= Promise.all([import('@aws-sdk/client-s3'), import('../adapters/anchors/s3-anchor-store.js')]).then(([{ S3Client }, { S3AnchorStore }]) => {
      const client = new S3Client({ region: target.region, ...(target.endpoint === null ? {} : { endpoint: target.endpoint, forcePathStyle: true }) });
      return new S3AnchorStore(client, { bucket: target.bucket, prefix: target.prefix, retentionDays: audit.anchorRetentionDays }, clock);
    }));
  return {
    location: `s3://${target.bucket}/${target.prefix}`,
    write: async (name, body) => (await s3()).write(name, body),
    latest: async () => (await s3()).latest(),
  };
};

/** The signing key, opened once on first use (the file is made then, not when the container is built). */
export const signerOf = (audit: AuditConfig): (() => Promise<CheckpointSigner>) => {
  let opened: Promise<CheckpointSigner> | null = null;
  return () => {
    opened ??= audit.signingKeyPem === null ? Ed25519CheckpointSigner.fromFile(audit.signingKeyFile) : Promise.resolve(Ed25519CheckpointSigner.fromPem(audit.signingKeyPem));
    return opened;
  };
};

/** The audit chain's checks and anchors (issue 11, SOX), over the store as it holds events. */
export const auditModule = (config: AppConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Audit)
      .toDynamicValue(({ get }) => {
        const clock = get(TOKENS.Clock);
        return new StoreAudit({
          events: get(TOKENS.SealedEventStore),
          archive: get(TOKENS.SealedEventArchive),
          anchors: anchorStoreOf(config.audit, clock),
          signer: signerOf(config.audit),
          clock,
        });
      })
      .inSingletonScope();
  });
