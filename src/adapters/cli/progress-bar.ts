import type { RebuildProgress } from '../../application/projections/projection-engine.js';

const WIDTH = 30;

/** One line, redrawn in place on a terminal; a line per update elsewhere would flood logs, so then only the last. */
export const progressLine = ({ done, total, eventsPerSecond, secondsLeft }: RebuildProgress): string => {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} events  ${Math.round(eventsPerSecond)}/s  ${secondsLeft.toFixed(1)}s left`;
};

export const progressPrinter = (stream: NodeJS.WriteStream) => {
  let last = '';
  return {
    update(progress: RebuildProgress): void {
      last = progressLine(progress);
      if (stream.isTTY) stream.write(`\r${last}`);
    },
    done(): void {
      stream.write(stream.isTTY ? '\n' : `${last}\n`);
    },
  };
};
