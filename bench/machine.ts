import { cpus, totalmem } from 'node:os';

/** What the figures were measured on. */
export const describeMachine = (): string => {
  const cores = cpus();
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return `${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores, ${gib} GiB, Node ${process.version}`;
};
