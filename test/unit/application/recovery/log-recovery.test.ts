import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { err } from 'neverthrow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliProgram, type CliApp } from '../../../../src/adapters/cli/cli-program.js';
import type { RecoveryCli } from '../../../../src/adapters/cli/recovery-commands.js';
import { LocalMasterKey } from '../../../../src/adapters/crypto/local-master-key.js';
import { InMemoryDataKeyStore } from '../../../../src/adapters/memory/in-memory-data-key-store.js';
import { InMemoryEventStore } from '../../../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryCheckpointStore } from '../../../../src/adapters/memory/in-memory-stores.js';
import { createExportFileWriter, openExportFileReader } from '../../../../src/adapters/recovery/gzip-ndjson-export-file.js';
import { FixedClock } from '../../../../src/adapters/runtime/system-runtime.js';
import type { EventEnvelope } from '../../../../src/application/events/envelope.js';
import type { CommittedEventFeed } from '../../../../src/application/ports/committed-event-feed.js';
import type { ExportFileReader } from '../../../../src/application/ports/export-file.js';
import type { EventImport } from '../../../../src/application/ports/event-import.js';
import { ConsumerFastForward } from '../../../../src/application/recovery/consumer-fast-forward.js';
import { PersonalDataCodec } from '../../../../src/application/privacy/personal-data-codec.js';
import { LogExport } from '../../../../src/application/recovery/log-export.js';
import { LogImport } from '../../../../src/application/recovery/log-import.js';
import { RecoveryError } from '../../../../src/application/recovery/recovery-error.js';
import { GlobalLogArchive, GlobalLogFeed } from '../../../../src/application/subscriptions/global-log-feed.js';
import { anEvent } from '../../../support/event-mother.js';

const MASTER = LocalMasterKey.ephemeral();
const WORKFLOW = 'workflow:order-fulfilment';

interface Side {
  readonly clock: FixedClock;
  readonly store: InMemoryEventStore;
  readonly keys: InMemoryDataKeyStore;
  readonly codec: PersonalDataCodec;
  readonly checkpoints: InMemoryCheckpointStore;
}

const side = (): Side => {
  const clock = new FixedClock('2026-03-01T09:00:00.000Z');
  const keys = new InMemoryDataKeyStore();
  return { clock, store: new InMemoryEventStore(clock), keys, codec: new PersonalDataCodec(MASTER, keys, clock), checkpoints: new InMemoryCheckpointStore() };
};

const exporter = (source: Side): LogExport => new LogExport({ archive: new GlobalLogArchive(source.store, 7), dataKeys: source.keys, clock: source.clock, sourceStore: 'memory' });

const importer = (target: Side, events: EventImport = target.store, batchSize = 5, feed: CommittedEventFeed = new GlobalLogFeed(target.store)): LogImport =>
  new LogImport({
    events,
    archive: new GlobalLogArchive(target.store),
    dataKeys: target.keys,
    checkpoints: target.checkpoints,
    feed,
    settleMs: 50,
    actingConsumers: [WORKFLOW],
    clock: target.clock,
    batchSize,
  });

const all = async (store: InMemoryEventStore): Promise<EventEnvelope[]> => store.readAll(0, 10_000);
const withoutPositions = (events: readonly EventEnvelope[]) => events.map(({ globalPosition: _position, ...rest }) => rest);

const refusal = async (work: Promise<unknown>): Promise<RecoveryError> => {
  const error = await work.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(RecoveryError);
  return error as RecoveryError;
};

/** Customers with sealed personal data, one erased, and orders: three commits over time. */
const loadSource = async (source: Side): Promise<void> => {
  for (const id of ['c-1', 'c-2']) {
    const name = await source.codec.seal(id, `Name of ${id}`);
    (await source.store.append(`Customer-${id}`, [anEvent({ type: 'CustomerRegistered', schemaVersion: 1, data: { customerId: id, personal: { name } } })], 'no-stream'))._unsafeUnwrap();
  }
  await source.keys.delete('c-2', '2026-03-01T09:30:00.000Z');
  for (let order = 1; order <= 4; order += 1) {
    source.clock.advance(60_000);
    (await source.store.append(`Order-o-${order}`, [anEvent(), anEvent({ type: 'OrderConfirmed' })], 'no-stream'))._unsafeUnwrap();
  }
  source.clock.set('2026-03-01T12:00:00.000Z');
  (await source.store.append('Order-o-1', [anEvent({ type: 'OrderShipped' })], 2))._unsafeUnwrap();
};

/** The file's lines, changed by `edit`, written back as a new gzip file. */
const rewrite = async (from: string, to: string, edit: (lines: string[]) => string[]): Promise<void> => {
  const lines = gunzipSync(await readFile(from)).toString('utf8').split('\n').filter((line) => line !== '');
  await writeFile(to, gzipSync(`${edit(lines).join('\n')}\n`));
};

describe('disaster recovery: export and import of the log (memory store)', () => {
  let folder: string;
  let source: Side;
  let file: string;
  let n = 0;
  const path = (): string => join(folder, `export-${(n += 1)}.ndjson.gz`);

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'es-dr-'));
    source = side();
    await loadSource(source);
    file = path();
    await exporter(source).export(await createExportFileWriter(file));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  let target: Side;
  beforeEach(() => {
    target = side();
  });

  it("writes a header, the events as stored (personal fields sealed), the data keys wrapped, each stream's summary and the manifest", async () => {
    const text = gunzipSync(await readFile(file)).toString('utf8');
    const records = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { kind: string; [field: string]: unknown });
    expect(records[0]).toMatchObject({ kind: 'header', format: 'es-core-export/1', sourceStore: 'memory', window: { on: 'recordedAt', from: null, to: null } });
    expect(records.filter((r) => r.kind === 'event')).toHaveLength(11);
    expect(text).not.toContain('Name of c-1');
    // Each key comes before the first event sealed with it; the erased subject's tombstone carries no key material.
    expect(records.slice(1, 5).map((r) => r.kind)).toEqual(['data-key', 'event', 'data-key', 'event']);
    expect(records[3]).toEqual({ kind: 'data-key', key: { status: 'erased', subject: 'c-2', erasedAt: '2026-03-01T09:30:00.000Z' } });
    const heads = new Map((await all(source.store)).map((event) => [event.streamId, event]));
    expect(records.filter((r) => r.kind === 'stream')).toEqual(
      [...heads.values()]
        .sort((a, b) => (a.streamId < b.streamId ? -1 : 1))
        .map((head) => ({ kind: 'stream', streamId: head.streamId, events: head.version, firstVersion: 1, lastVersion: head.version, lastPosition: head.globalPosition, headHash: head.hash })),
    );
    const manifest = records.at(-1);
    expect(manifest).toMatchObject({ kind: 'manifest', streams: 6, events: 11, dataKeys: 2, sourceStore: 'memory' });
    const before = text.slice(0, text.lastIndexOf('{"kind":"manifest"'));
    const { createHash } = await import('node:crypto');
    expect(manifest?.sha256).toBe(createHash('sha256').update(before, 'utf8').digest('hex'));
  });

  it('imports into an empty store keeping ids, versions, hashes and times, restores the data keys, and moves the acting consumers past it', async () => {
    const report = await importer(target).import(() => reader(file));
    expect(report).toMatchObject({ imported: 11, skipped: 0, dataKeys: 2, resumed: false, fastForwarded: [WORKFLOW] });
    expect(withoutPositions(await all(target.store))).toEqual(withoutPositions(await all(source.store)));
    const [registered] = await target.store.readStream('Customer-c-1');
    // The target opens the sealed value with the restored (wrapped) key, under the same master key.
    expect(await target.codec.open((registered?.data as { personal: { name: string } }).personal.name)).toBe('Name of c-1');
    expect(await target.keys.get('c-2')).toEqual({ status: 'erased', subject: 'c-2', erasedAt: '2026-03-01T09:30:00.000Z' });
    expect(await target.checkpoints.load(WORKFLOW)).toBe('11');
  });

  it('refuses a store that holds events unless told, and then imports over them', async () => {
    (await target.store.append('Order-other', [anEvent()], 'no-stream'))._unsafeUnwrap();
    expect((await refusal(importer(target).import(() => reader(file)))).code).toBe('RECOVERY.TARGET_NOT_EMPTY');
    expect(await all(target.store)).toHaveLength(1);
    expect((await importer(target).import(() => reader(file), { intoNonEmpty: true })).imported).toBe(11);
  });

  it('resumes an interrupted import: the re-run skips what landed and carries on', async () => {
    let calls = 0;
    const failing: EventImport = {
      importEvents: async (events) => {
        calls += 1;
        if (calls === 2) throw new Error('connection reset');
        return target.store.importEvents(events);
      },
    };
    await expect(importer(target, failing).import(() => reader(file))).rejects.toThrow('connection reset');
    expect(await all(target.store)).toHaveLength(5);
    const report = await importer(target).import(() => reader(file));
    expect(report).toMatchObject({ imported: 6, skipped: 5, resumed: true });
    expect(withoutPositions(await all(target.store))).toEqual(withoutPositions(await all(source.store)));
  });

  it("names the stream and version of an event edited in the file, and writes nothing", async () => {
    const tampered = path();
    await rewrite(file, tampered, (lines) => lines.map((line) => (line.includes('"OrderShipped"') ? line.replace('"quantity":2', '"quantity":3') : line)));
    const error = await refusal(importer(target).import(() => reader(tampered)));
    expect(error).toMatchObject({ code: 'RECOVERY.CHAIN_BROKEN', at: { streamId: 'Order-o-1', version: 3 } });
    expect(await all(target.store)).toEqual([]);
  });

  it('refuses an event removed from the middle of a stream, naming the version that no longer follows', async () => {
    const tampered = path();
    await rewrite(file, tampered, (lines) => lines.filter((line) => !(line.includes('"streamId":"Order-o-2"') && line.includes('"version":1,'))));
    expect(await refusal(importer(target).verify(await reader(tampered)))).toMatchObject({ code: 'RECOVERY.CHAIN_BROKEN', at: { streamId: 'Order-o-2', version: 2 } });
  });

  it('refuses a manifest that does not match the events, and lines that do not match the checksum', async () => {
    const summary = path();
    await rewrite(file, summary, (lines) => lines.map((line) => (line.startsWith('{"kind":"stream","streamId":"Order-o-3"') ? line.replace('"events":2', '"events":3') : line)));
    expect(await refusal(importer(target).verify(await reader(summary)))).toMatchObject({ code: 'RECOVERY.MANIFEST_MISMATCH', at: { streamId: 'Order-o-3' } });
    const keyLine = path();
    await rewrite(file, keyLine, (lines) => lines.map((line) => line.replace('"erasedAt":"2026-03-01T09:30:00.000Z"', '"erasedAt":"2026-03-01T09:31:00.000Z"')));
    expect((await refusal(importer(target).verify(await reader(keyLine)))).code).toBe('RECOVERY.CHECKSUM_MISMATCH');
  });

  it('refuses a truncated file: compressed data cut short, or whole lines missing at the end', async () => {
    const cut = path();
    const bytes = await readFile(file);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await refusal(importer(target).import(() => reader(cut)))).code).toBe('RECOVERY.TRUNCATED');
    const short = path();
    await rewrite(file, short, (lines) => lines.filter((line) => line.includes('"kind":"event"') || line.includes('"kind":"header"')).slice(0, 6));
    expect(await refusal(importer(target).verify(await reader(short)))).toMatchObject({ code: 'RECOVERY.TRUNCATED', at: { line: 6 } });
    const notGzip = path();
    await writeFile(notGzip, 'plain text\n');
    expect((await refusal(importer(target).verify(await reader(notGzip)))).code).toBe('RECOVERY.NOT_AN_EXPORT');
    expect((await refusal(reader(join(folder, 'missing.ndjson.gz')))).code).toBe('RECOVERY.FILE_UNREADABLE');
    expect(await all(target.store)).toEqual([]);
  });

  it('exports a window by recordedAt that imports onto the restore it follows, and nowhere else', async () => {
    const before = path();
    const after = path();
    await exporter(source).export(await createExportFileWriter(before), { to: '2026-03-01T11:00:00.000Z' });
    const manifest = await exporter(source).export(await createExportFileWriter(after), { from: '2026-03-01T11:00:00.000Z' });
    expect(manifest).toMatchObject({ events: 1, streams: 1, window: { from: '2026-03-01T11:00:00.000Z', to: null } });
    const stray = side();
    expect(await refusal(importer(stray).import(() => reader(after)))).toMatchObject({ code: 'RECOVERY.IMPORT_REFUSED', at: { streamId: 'Order-o-1', version: 3 } });
    await importer(target).import(() => reader(before));
    expect((await refusal(importer(target).import(() => reader(after)))).code).toBe('RECOVERY.TARGET_NOT_EMPTY');
    expect((await importer(target).import(() => reader(after), { intoNonEmpty: true })).imported).toBe(1);
    expect(withoutPositions(await all(target.store))).toEqual(withoutPositions(await all(source.store)));
  });

  it('never overwrites an export, and leaves no file behind when an export fails', async () => {
    expect((await refusal(createExportFileWriter(file))).code).toBe('RECOVERY.FILE_EXISTS');
    const broken = side();
    (await broken.store.append('Order-x', [anEvent()], 'no-stream'))._unsafeUnwrap();
    const failing = path();
    const archive = { scan: async () => Promise.reject(new Error('store unavailable')), approximateCount: async () => 0 };
    await expect(new LogExport({ archive, dataKeys: broken.keys, clock: broken.clock, sourceStore: 'memory' }).export(await createExportFileWriter(failing))).rejects.toThrow('store unavailable');
    await expect(readFile(failing)).rejects.toThrow();
    await expect(readFile(`${failing}.partial`)).rejects.toThrow();
  });

  it('reports an import path that refuses an event with the stream and version it names', async () => {
    const refusing: EventImport = { importEvents: async () => err({ code: 'EVENT_STORE.IMPORT_CONFLICT', message: 'held by another event', streamId: 'Customer-c-1', version: 1 }) };
    expect(await refusal(importer(target, refusing).import(() => reader(file)))).toMatchObject({ code: 'RECOVERY.IMPORT_REFUSED', at: { streamId: 'Customer-c-1', version: 1 } });
  });

  it('waits for a feed that lags the store (DynamoDB Streams) to deliver the imported heads before moving the acting consumers', async () => {
    const inner = new GlobalLogFeed(target.store);
    let reads = 0;
    // The first two reads see nothing yet, as a stream does right after the writes.
    const lagging: CommittedEventFeed = { read: async (position, limit) => ((reads += 1) <= 2 ? { events: [], position: position ?? '0' } : inner.read(position, limit)), behind: async () => null };
    await importer(target, target.store, 5, lagging).import(() => reader(file));
    expect(await target.checkpoints.load(WORKFLOW)).toBe('11');
    const silent: CommittedEventFeed = { read: async (position) => ({ events: [], position: position ?? '0' }), behind: async () => null };
    const stalled = side();
    expect(await refusal(importer(stalled, stalled.store, 5, silent).import(() => reader(file)))).toMatchObject({ code: 'RECOVERY.FEED_BEHIND' });
    expect(await stalled.checkpoints.load(WORKFLOW)).toBeNull();
  });

  it('fast-forwards the acting consumers on a fail-over, refusing ones that have a position unless forced, never the projections', async () => {
    (await target.store.append('Order-f', [anEvent(), anEvent({ type: 'OrderConfirmed' })], 'no-stream'))._unsafeUnwrap();
    const relay = 'relay:orders-bus';
    const forward = new ConsumerFastForward({ feed: new GlobalLogFeed(target.store), checkpoints: target.checkpoints, consumers: [relay, WORKFLOW] });
    expect(await forward.run()).toEqual({ consumers: [relay, WORKFLOW], position: '2' });
    expect([await target.checkpoints.load(relay), await target.checkpoints.load(WORKFLOW), await target.checkpoints.load('projection:orders')]).toEqual(['2', '2', null]);
    (await target.store.append('Order-f', [anEvent({ type: 'OrderShipped' })], 2))._unsafeUnwrap();
    const refused = await refusal(forward.run());
    expect(refused.code).toBe('RECOVERY.CONSUMERS_HAVE_POSITIONS');
    expect(refused.message).toContain(WORKFLOW);
    expect(await target.checkpoints.load(WORKFLOW)).toBe('2');
    expect((await forward.run({ force: true })).position).toBe('3');
  });

  it('refuses a file replaced or changed after it was verified, before applying any of its data keys', async () => {
    const tampered = path();
    await rewrite(file, tampered, (lines) => lines.map((line) => line.replace('"erasedAt":"2026-03-01T09:30:00.000Z"', '"erasedAt":"2026-03-01T09:31:00.000Z"')));
    let opened = 0;
    const swapped = (): Promise<ExportFileReader> => reader((opened += 1) === 1 ? file : tampered);
    expect((await refusal(importer(target).import(swapped))).code).toBe('RECOVERY.FILE_CHANGED');
    expect(await target.keys.get('c-2')).toBeNull();
    const copy = path();
    await writeFile(copy, await readFile(file));
    const held = await reader(copy);
    await appendFile(copy, gzipSync('{"kind":"data-key"}\n'));
    expect((await refusal((async () => { for await (const _line of held.lines()) break; })())).code).toBe('RECOVERY.FILE_CHANGED');
    expect(await all(target.store)).toEqual([]);
  });

  it('never overwrites a file created under the export\'s name while it was written', async () => {
    const racing = path();
    const writer = await createExportFileWriter(racing);
    await writeFile(racing, 'written meanwhile');
    const error = await refusal(exporter(source).export(writer));
    expect(error.code).toBe('RECOVERY.FILE_EXISTS');
    expect(await readFile(racing, 'utf8')).toBe('written meanwhile');
    await expect(readFile(`${racing}.partial`)).rejects.toThrow();
  });

  it('refuses a window whose --to is not after its --from, naming both, and writes no file', async () => {
    const empty = path();
    const error = await refusal(exporter(source).export(await createExportFileWriter(empty), { from: '2026-03-01T11:00:00.000Z', to: '2026-03-01T11:00:00.000Z' }));
    expect(error.code).toBe('RECOVERY.WINDOW_EMPTY');
    expect(error.message).toContain('--to 2026-03-01T11:00:00.000Z');
    expect(error.message).toContain('--from 2026-03-01T11:00:00.000Z');
    await expect(readFile(empty)).rejects.toThrow();
    await expect(readFile(`${empty}.partial`)).rejects.toThrow();
    let opened = false;
    const cli = cliProgram(
      async () => {
        opened = true;
        throw new Error('no store');
      },
      { out: () => undefined, progress: new PassThrough() as unknown as NodeJS.WriteStream },
    );
    const viaCli = await refusal(cli.parseAsync(['node', 'cli', 'export', '--out', empty, '--from', '2026-03-02T00:00:00Z', '--to', '2026-03-01T00:00:00Z']));
    expect(viaCli.code).toBe('RECOVERY.WINDOW_EMPTY');
    expect(opened).toBe(false);
  });

  it('drives consumers fast-forward from the CLI, --force passed through', async () => {
    const asked: { force: boolean }[] = [];
    const recovery = { fastForward: async (options: { force: boolean }) => (asked.push(options), { consumers: [WORKFLOW], position: '11' }) } as unknown as RecoveryCli;
    const lines: string[] = [];
    const cli = (): ReturnType<typeof cliProgram> =>
      cliProgram(async () => ({ recovery, close: async () => undefined }) as unknown as CliApp, { out: (line) => lines.push(line), progress: new PassThrough() as unknown as NodeJS.WriteStream });
    await cli().parseAsync(['node', 'cli', 'consumers', 'fast-forward']);
    await cli().parseAsync(['node', 'cli', 'consumers', 'fast-forward', '--force']);
    expect(asked).toEqual([{ force: false }, { force: true }]);
    expect(lines[0]).toContain(`moved ${WORKFLOW} to the end of the feed`);
  });
});

const reader = openExportFileReader;
