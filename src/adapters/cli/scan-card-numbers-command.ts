import type { Command } from 'commander';
import { scanForCardNumbers, type CardNumberScanReport } from '../../application/compliance/card-number-scan.js';
import type { StoredTextSource } from '../../application/ports/stored-text.js';
import type { CliIo } from './cli-program.js';

/** Card numbers were found: the summary is the one line printed, and the CLI exits 1. */
export class CardNumbersFound extends Error {}

/** The sources a scan reads, opened once the command has parsed. */
export type OpenScanSources = (logs: string | null) => Promise<{ readonly sources: readonly StoredTextSource[]; close(): Promise<void> }>;

const summary = (report: CardNumberScanReport): string =>
  `${report.findings.length} card number${report.findings.length === 1 ? '' : 's'} in ${report.valuesScanned} values (${report.sources.join('; ')})`;

/**
 * `scan-card-numbers [--logs <file|dir>] [--json]`: reads everything the configured store holds (and the log files
 * given) and reports every card number by where it stands and its last four digits, never the number. Exits 1 on
 * a finding, so it can gate a deployment or a backup.
 */
export const scanCardNumbersCommand = (program: Command, io: CliIo, open: OpenScanSources): void => {
  program
    .command('scan-card-numbers')
    .description('search every table of the store (and log files) for card numbers; exit 1 if any is found')
    .option('--logs <path>', 'also scan this log file, or every file under this folder (the service logs to standard output)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { logs?: string; json?: boolean }) => {
      const opened = await open(options.logs ?? null);
      let report: CardNumberScanReport;
      try {
        report = await scanForCardNumbers(opened.sources, {
          onTable: (name) => {
            if (!options.json) io.progress.write(`scanning ${name}\n`);
          },
        });
      } finally {
        await opened.close();
      }
      if (options.json) io.out(JSON.stringify(report, null, 2));
      else for (const f of report.findings) io.out(`${f.location} ${f.field}: a ${f.brand ?? 'card'} number ending ${f.last4}`);
      if (report.findings.length > 0) throw new CardNumbersFound(summary(report));
      if (!options.json) io.out(summary(report));
    });
};
