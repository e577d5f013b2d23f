import type { Command } from 'commander';
import type { StoreAudit, VerificationReport } from '../../application/audit/store-audit.js';
import type { CliIo } from './cli-program.js';
import { progressPrinter } from './progress-bar.js';

export type AuditCli = Pick<StoreAudit, 'verifyStream' | 'verifyStore' | 'anchor' | 'newestAnchor'>;

type WithAudit = (work: (audit: AuditCli) => Promise<void>) => Promise<void>;

const print = (io: CliIo, report: VerificationReport): void => {
  if (report.anchor) {
    const { anchor } = report;
    io.out(anchor.problem === null ? `anchor ${anchor.name} (${anchor.createdAt}, ${anchor.streams} streams): signature valid` : `anchor ${anchor.name}: ${anchor.problem}`);
  }
  for (const m of report.mismatches) {
    io.out(`MISMATCH ${m.streamId} v${m.version} ${m.kind}${m.eventId === null ? '' : ` (event ${m.eventId})`}: ${m.message}`);
    if (m.expectedHash !== null || m.foundHash !== null) io.out(`  expected ${m.expectedHash ?? '-'}  found ${m.foundHash ?? '-'}`);
  }
  if (report.mismatchCount > report.mismatches.length) io.out(`... and ${report.mismatchCount - report.mismatches.length} more streams with a mismatch`);
  io.out(`${report.verified ? 'verified' : 'NOT verified'}: ${report.events} events in ${report.streams} streams, ${report.mismatchCount} with a mismatch`);
};

/**
 * `verify [--stream <id>] [--against-anchor]` and `anchor`: the audit chain's checks (issue 11, SOX). A mismatch, or an
 * anchor that cannot be trusted, ends the command with exit code 1 after the report.
 */
export const auditCommands = (program: Command, io: CliIo, withAudit: WithAudit): void => {
  program
    .command('verify')
    .description("recompute every event's hash and link (the whole store, or one stream) and report the first event of each stream that does not match")
    .option('--stream <streamId>', 'only this stream, e.g. Order-o-1')
    .option('--against-anchor', 'also compare the stream heads with the newest signed anchor: detects truncation, rollback and rewrites after a restore')
    .option('--json', 'print the report as JSON')
    .action((options: { stream?: string; againstAnchor?: boolean; json?: boolean }) =>
      withAudit(async (audit) => {
        if (options.stream !== undefined && options.againstAnchor) throw new Error('--against-anchor checks the whole store: leave out --stream');
        let report: VerificationReport;
        if (options.stream === undefined) {
          const printer = progressPrinter(io.progress);
          report = await audit.verifyStore({ againstAnchor: options.againstAnchor === true, onProgress: (p) => printer.update(p) });
          printer.done();
        } else {
          report = await audit.verifyStream(options.stream);
          if (report.events === 0) throw new Error(`stream ${options.stream} holds no events; streams are named <Type>-<id>, e.g. Order-o-1`);
        }
        if (options.json) io.out(JSON.stringify(report, null, 2));
        else print(io, report);
        if (!report.verified) throw new Error(report.firstMismatch ? `verification failed at ${report.firstMismatch.streamId} v${report.firstMismatch.version} (${report.firstMismatch.kind})` : 'verification failed: the anchor cannot be trusted');
      }),
    );
  program
    .command('anchor')
    .description('verify the whole store, then sign a checkpoint of every stream head and write it to the anchor store (never overwritten)')
    .action(() =>
      withAudit(async (audit) => {
        const printer = progressPrinter(io.progress);
        const written = await audit.anchor((p) => printer.update(p));
        printer.done();
        const { checkpoint } = written.anchor;
        io.out(`anchored ${checkpoint.streams} streams (${checkpoint.events} events), root ${checkpoint.root}, key ${checkpoint.keyId}: ${written.location}/${written.name}`);
      }),
    );
};
