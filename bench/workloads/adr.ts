import { setTimeout as sleep } from 'node:timers/promises';
import { appFrom, type App } from '../../src/main/app.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { inventoryLevelsProjection } from '../../src/application/projections/inventory-levels-projection.js';
import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import { aggregateTypeOf } from '../../src/application/projections/projection.js';
import { discardMetrics } from '../discard-metrics.js';
import { LoadTimeMetrics } from '../load-time-metrics.js';
import { percentile } from '../stats.js';
import { runAdrLoad, type Acknowledged } from './adr-load.js';
import { AcknowledgedEvents, globalLogOf, reconcileLog } from './log-reconciliation.js';
import { reconcileReadModels } from './read-model-reconciliation.js';
import { RowLag } from './row-lag.js';
import { WatchedCatalog, WatchedTransactions } from './watched-read-side.js';
import { BenchFailure, freshStoresOf, NotApplicable, type Figures, type Workload } from './workload.js';

const IN_FLIGHT = 64;
/** After the last acknowledgement, how long the projections may take to catch up before the run fails. */
const DRAIN_LIMIT_MS = 300_000;

/** The projections whose rows show an event's stream at its version: lag is measured on them. */
const ROW_PROJECTIONS = [orderSummaryProjection, inventoryLevelsProjection];
const rowProjectionOf = (ack: Acknowledged) => ROW_PROJECTIONS.find((projection) => projection.streams.has(aggregateTypeOf(ack.streamId)) && projection.handles.has(ack.types.at(-1) ?? ''));

const seconds = (ms: number): string => `${(ms / 1_000).toFixed(1)} s`;

/** Waits until every projection has handled the whole log; fails on a projection stopped at an event, or after the limit. */
const drain = async (app: App, rows: RowLag, until: number, progress: (line: string) => void): Promise<void> => {
  const begun = performance.now();
  while (rows.pending > 0 && performance.now() < until) await sleep(20);
  if (rows.pending > 0) throw new BenchFailure(`${rows.pending} acknowledged events were still not in their rows ${DRAIN_LIMIT_MS / 1_000} s after the load: ${rows.waitingExamples(3).join('; ')}`);
  progress(`every order-summary and inventory row was up to date ${seconds(performance.now() - begun)} after the load`);
  for (;;) {
    const statuses = await app.projections.status();
    const stopped = statuses.find((status) => status.failure !== null);
    if (stopped?.failure) throw new BenchFailure(`${stopped.name} stopped at ${stopped.failure.streamId} v${stopped.failure.version}: ${stopped.failure.message}`);
    if (statuses.every((status) => status.lagEvents === 0)) return;
    if (performance.now() > until) throw new BenchFailure(`projections still behind ${DRAIN_LIMIT_MS / 1_000} s after the load: ${statuses.map((s) => `${s.name} ${s.lagEvents}`).join(', ')}`);
    await sleep(100);
  }
};

/**
 * ADR: the ADR's success criteria as one run. The service's own container on a fresh store, its projections
 * polling in-process as in production, takes a mixed order/payment/inventory load through the application's
 * use cases (`adr-load.ts`), offered at `rate` events/s for `seconds`, `IN_FLIGHT` commands at a time. Then
 * every projection catches up, the whole log is reconciled with the acknowledged commands, and each read model
 * with a fresh rebuild. Figures: events/s sustained (events acknowledged over the load's wall time), latency
 * per command, projection lag (acknowledgement to the order-summary or inventory row showing it) p50/p99/max,
 * and aggregate load p95.
 */
export const adrRun = (rate: number, loadSeconds: number): Workload => ({
  name: 'ADR',
  run: async (target): Promise<Figures> => {
    const fresh = await freshStoresOf(target, 'ADR').service();
    const progress = (line: string): void => void process.stderr.write(`  ADR: ${line}\n`);
    let app: App | null = null;
    let closeStore: (() => Promise<void>) | null = null;
    try {
      const container = await createContainer(fresh.config);
      closeStore = container.get(TOKENS.Closer);
      const store = container.get(TOKENS.EventStore);
      const log = globalLogOf(store);
      if (log === null) throw new NotApplicable('ADR reconciles the global log, which this adapter does not keep');
      const metrics = new LoadTimeMetrics();
      container.rebind(TOKENS.Metrics).toConstantValue(metrics);
      // The live read side as the service has it, watched: a row is visible once written, or once its batch commits.
      const rows = new RowLag();
      const written = (batch: readonly { streamId: string; version: number }[]): void => {
        const at = performance.now();
        for (const row of batch) rows.visible(row.streamId, row.version, at);
      };
      const catalog = container.get(TOKENS.ReadModelCatalog);
      container.rebind(TOKENS.ReadModelCatalog).toConstantValue(new WatchedCatalog(catalog, written));
      const transactions = container.isBound(TOKENS.ProjectionTransactions) ? container.get(TOKENS.ProjectionTransactions) : undefined;
      if (transactions !== undefined) container.rebind(TOKENS.ProjectionTransactions).toConstantValue(new WatchedTransactions(transactions, written));
      app = appFrom(container);
      app.projections.start(fresh.config.pollIntervalMs);

      const acknowledged = new AcknowledgedEvents();
      const cpuBefore = process.cpuUsage();
      const load = await runAdrLoad(app, { rate, seconds: loadSeconds, inFlight: IN_FLIGHT }, (ack, at) => {
        acknowledged.record(ack);
        if (rowProjectionOf(ack) !== undefined) rows.acknowledged(ack.streamId, ack.version, at);
      });
      const cpu = process.cpuUsage(cpuBefore);
      if (load.events === 0) throw new BenchFailure('no command was acknowledged');
      const loadEnd = performance.now();
      progress(
        `${load.events} events from ${load.commands} commands in ${load.seconds.toFixed(1)} s (${Math.round(load.events / load.seconds)} events/s of ${rate} offered), ` +
          `${rows.pending} not yet in their rows at the end; this process used ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU ` +
          `(${((cpu.user + cpu.system) / 1e6 / load.seconds).toFixed(2)} cores); ${metrics.count('CommandConflictRetries')} executor conflict retries, ${load.clientRetries} client retries; ` +
          `aggregate cache ${metrics.count('AggregateCacheHits')} hits, ${metrics.count('AggregateCacheMisses')} misses`,
      );
      for (const [kind, times] of load.latencies) progress(`  ${kind}: ${times.length} commands, p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms`);
      for (const [type, times] of metrics.loadTimes) progress(`  load ${type}: ${times.length} loads, p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms`);

      await drain(app, rows, loadEnd + DRAIN_LIMIT_MS, progress);
      progress(`every projection caught up ${seconds(performance.now() - loadEnd)} after the load`);
      await app.projections.stop();
      await app.catchUp();

      const checked = performance.now();
      const facts = await reconcileLog(log, store, acknowledged);
      const deps = {
        store,
        checkpoints: container.get(TOKENS.CheckpointStore),
        catalog,
        ...(transactions === undefined ? {} : { transactions }),
        upcasters: container.get(TOKENS.Upcasters),
        metrics: discardMetrics,
        clock: container.get(TOKENS.Clock),
        logger: container.get(TOKENS.Logger),
      };
      const engine = app.projections;
      const readModels = await reconcileReadModels(deps, container.get(TOKENS.EventArchive), (projection) => engine.readModel(projection), facts.streams.keys());
      progress(
        `reconciled in ${seconds(performance.now() - checked)}: ${facts.events} events in ${facts.streams.size} streams, each once; ` +
          `${readModels.orders} order summaries, ${readModels.skus} inventory levels and ${readModels.customersCompared} customers' orders and support histories equal a fresh rebuild`,
      );

      const lags = rows.lags;
      const loads = metrics.all();
      const commandTimes = [...load.latencies.values()].flat();
      return {
        eventsPerSecond: load.events / load.seconds,
        p50Ms: percentile(commandTimes, 50),
        p95Ms: percentile(commandTimes, 95),
        p99Ms: percentile(commandTimes, 99),
        lagP50Ms: percentile(lags, 50),
        lagP99Ms: percentile(lags, 99),
        lagMaxMs: lags.reduce((max, lag) => Math.max(max, lag), 0),
        loadP95Ms: percentile(loads, 95),
      };
    } finally {
      // The app closes the store with its projections; before it exists, the store alone.
      await (app !== null ? app.close() : closeStore?.());
      await fresh.release();
    }
  },
});
