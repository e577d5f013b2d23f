import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAuditConfig } from '../../../src/main/audit-config.js';
import { startAnchoring } from '../../../src/main/anchor-schedule.js';
import type { AnchorWritten } from '../../../src/application/audit/store-audit.js';

describe('anchor settings', () => {
  it('anchors hourly into a folder under the data folder, signed with a key made there, unless told otherwise', () => {
    expect(loadAuditConfig({}, '/var/es')).toEqual({
      anchors: { kind: 'folder', folder: '/var/es/anchors' },
      anchorIntervalMs: 3_600_000,
      anchorRetentionDays: 2557,
      signingKeyPem: null,
      signingKeyFile: '/var/es/anchor-signing-key.pem',
    });
    const s3 = loadAuditConfig({ ANCHOR_STORE: 's3', ANCHOR_S3_BUCKET: 'audit-anchors', ANCHOR_INTERVAL_MS: '0', ANCHOR_RETENTION_DAYS: '3650' }, '/var/es');
    expect(s3).toMatchObject({ anchors: { kind: 's3', bucket: 'audit-anchors', prefix: 'anchors/', endpoint: null }, anchorIntervalMs: 0, anchorRetentionDays: 3650 });
  });

  it('refuses bad values, saying what is accepted', () => {
    expect(() => loadAuditConfig({ ANCHOR_STORE: 'ftp' }, '.')).toThrow('ANCHOR_STORE must be folder or s3; got "ftp"');
    expect(() => loadAuditConfig({ ANCHOR_STORE: 's3' }, '.')).toThrow(/ANCHOR_STORE=s3 needs ANCHOR_S3_BUCKET/);
    expect(() => loadAuditConfig({ ANCHOR_INTERVAL_MS: '500' }, '.')).toThrow(/at least 60000, or 0/);
    expect(() => loadAuditConfig({ ANCHOR_RETENTION_DAYS: '0' }, '.')).toThrow(/ANCHOR_RETENTION_DAYS must be a whole number of days, at least 1/);
    expect(() => loadAuditConfig({ ANCHOR_SIGNING_KEY: 'secret' }, '.')).toThrow(/PKCS#8 PEM/);
  });
});

describe('periodic anchoring', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('anchors every interval, skips a tick while one still runs, logs a failure and carries on', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let calls = 0;
    let release: () => void = () => {};
    const audit = {
      anchor: vi.fn(async (): Promise<AnchorWritten> => {
        calls += 1;
        if (calls === 1) throw new Error('the store does not verify');
        await new Promise<void>((resolve) => (release = resolve));
        return { name: 'checkpoint-x.json', location: '/anchors', anchor: { checkpoint: { streams: 2, root: 'r' } } } as unknown as AnchorWritten;
      }),
    };
    const schedule = startAnchoring(audit, 60_000, (line) => lines.push(line));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lines).toEqual(['anchoring failed, tried again in 60000 ms: the store does not verify']);
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(audit.anchor).toHaveBeenCalledTimes(2);
    release();
    await schedule.stop();
    expect(lines[1]).toBe('anchored 2 streams, root r: /anchors/checkpoint-x.json');
    await vi.advanceTimersByTimeAsync(180_000);
    expect(audit.anchor).toHaveBeenCalledTimes(2);
    const never = { anchor: vi.fn(async (): Promise<AnchorWritten> => ({}) as AnchorWritten) };
    await startAnchoring(never, 0, () => {}).stop();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(never.anchor).not.toHaveBeenCalled();
  });
});
