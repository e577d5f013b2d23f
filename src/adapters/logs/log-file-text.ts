import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { StoredText, StoredTextSource } from '../../application/ports/stored-text.js';
import { jsonLeaves } from '../text/json-leaves.js';

const filesUnder = async (path: string): Promise<string[]> => {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() || entry.isFile() ? filesUnder(join(path, entry.name)) : Promise.resolve([]))));
  return nested.flat().sort();
};

// What pino writes from the clock and the process, never from a request: its epoch-millisecond `time` has 13 digits
// and would pass the Luhn check one time in ten.
const LOGGER_FIELDS = new Set(['time', 'pid', 'level', 'responseTime']);

const leavesOf = (line: string): { field: string; text: string }[] => {
  if (line.trimStart().startsWith('{')) {
    try {
      JSON.parse(line);
      return jsonLeaves(line)
        .filter((leaf) => !LOGGER_FIELDS.has(leaf.path))
        .map((leaf) => ({ field: leaf.path, text: leaf.text }));
    } catch {
      // Not JSON after all: scanned as text.
    }
  }
  return [{ field: '', text: line }];
};

/**
 * Log files as text, line by line: a file, or every file under a folder. The service logs to standard output (pino
 * JSON lines); wherever that is collected to, point this at it. JSON lines are scanned field by field, others whole.
 */
export class LogFileText implements StoredTextSource {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `log files at ${path}`;
  }

  async *everything(onTable?: (name: string) => void): AsyncIterable<StoredText> {
    for (const file of await filesUnder(this.path)) {
      onTable?.(file);
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      let number = 0;
      for await (const line of lines) {
        number += 1;
        for (const leaf of leavesOf(line)) yield { location: `${file} line ${number}`, field: leaf.field, text: leaf.text };
      }
    }
  }
}
