import type { RebuildProgress } from '../../application/projections/projection-engine.js';

const WIDTH = 30;
const PLAIN_EVERY_MS = 10_000;

/**
 * One line, redrawn in place on a terminal. Elsewhere (a log, a pipe) a line per update would flood it: a plain line
 * at most every PLAIN_EVERY_MS, so that a long run still shows it is alive, and the last one.
 */
export const progressLine = ({ done, total, eventsPerSecond, secondsLeft }: RebuildProgress, unit = 'events'): string => {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} ${unit}  ${Math.round(eventsPerSecond)}/s  ${secondsLeft.toFixed(1)}s left`;
};

/** `unit`: what `done` and `total` count (events; bytes where the total is a file's size). */
export const progressPrinter = (stream: NodeJS.WriteStream, unit = 'events') => {
  let last = '';
  let printedAt = performance.now();
  return {
    update(progress: RebuildProgress): void {
      last = progressLine(progress, unit);
      if (stream.isTTY) {
        stream.write(`\r${last}`);
      } else if (performance.now() - printedAt >= PLAIN_EVERY_MS) {
        printedAt = performance.now();
        stream.write(`${last}\n`);
      }
    },
    done(): void {
      stream.write(stream.isTTY ? '\n' : `${last}\n`);
    },
  };
};
