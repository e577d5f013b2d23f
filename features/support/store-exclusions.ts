import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A feature, rule or scenario tagged `@not-on-<store>`, and why (the comment line right above the tag line). */
export interface StoreExclusion {
  readonly where: string;
  readonly name: string;
  readonly reason: string;
}

const HEADING = /^\s*(Feature|Rule|Scenario Outline|Scenario Template|Scenario|Example):\s*(.*)$/;

/**
 * What a feature file keeps off a store. The profile of that store leaves them out by tag expression; the run
 * prints each with its reason, so that nothing is skipped silently. A tag without a reason is refused.
 */
export const exclusionsIn = (file: string, text: string, store: string): StoreExclusion[] => {
  const tag = new RegExp(`(^|\\s)@not-on-${store}(\\s|$)`);
  const lines = text.split('\n');
  const found: StoreExclusion[] = [];
  lines.forEach((line, index) => {
    if (!line.trim().startsWith('@') || !tag.test(line)) return;
    const reasons: string[] = [];
    for (let above = index - 1; above >= 0 && (lines[above] ?? '').trim().startsWith('#'); above -= 1) reasons.unshift((lines[above] ?? '').trim().replace(/^#\s*/, ''));
    const heading = lines.slice(index + 1).find((next) => HEADING.test(next));
    const where = `${file}:${index + 1}`;
    if (reasons.length === 0) throw new Error(`${where}: @not-on-${store} needs a comment line right above it saying why it cannot pass on ${store}`);
    found.push({ where, name: heading?.trim() ?? '(no feature or scenario follows the tag)', reason: reasons.join(' ') });
  });
  return found;
};

const featureFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return featureFiles(path);
    return entry.name.endsWith('.feature') ? [path] : [];
  });

/** Every exclusion for the store under `features/`, file by file. */
export const storeExclusions = (store: string, root = 'features'): StoreExclusion[] =>
  featureFiles(root).flatMap((path) => exclusionsIn(relative(process.cwd(), path), readFileSync(path, 'utf8'), store));
