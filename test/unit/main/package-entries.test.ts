import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe("the package's entries", () => {
  it('exports every port: a port added to src/application/ports is public through event-sourcing-core/ports', () => {
    const entry = read('src/ports.ts');
    const ports = readdirSync(join(ROOT, 'src/application/ports')).filter((file) => file.endsWith('.ts'));
    expect(ports.length).toBeGreaterThan(10);
    expect(ports.filter((file) => !entry.includes(`export * from './application/ports/${file.replace(/\.ts$/, '.js')}';`))).toEqual([]);
  });

  it("maps each export of package.json to a compiled entry built from src/<entry>.ts, with its declarations first", () => {
    const manifest = JSON.parse(read('package.json')) as { exports: Record<string, string | { types: string; default: string }>; types: string; main: string };
    const entries = Object.entries(manifest.exports).filter((pair): pair is [string, { types: string; default: string }] => typeof pair[1] === 'object');
    expect(entries.map(([path]) => path).sort()).toEqual(['.', './domain', './environments', './lambda', './ports']);
    for (const [path, target] of entries) {
      const name = path === '.' ? 'index' : path.slice(2);
      expect(Object.keys(target)).toEqual(['types', 'default']);
      expect(target).toEqual({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
      expect(() => read(`src/${name}.ts`)).not.toThrow();
    }
    expect([manifest.main, manifest.types]).toEqual(['./dist/index.js', './dist/index.d.ts']);
  });

  it("docs/embedding.md imports only what the examples import (and the packed-library test compiles them against the package)", () => {
    const examples = ['examples/embedding-memory.ts', 'examples/embedding-unit-test.ts'].map(read).join('\n');
    const blocks = [...read('docs/embedding.md').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    const imports = blocks.flatMap((block) => block.split('\n').filter((line) => line.startsWith('import ')));
    expect(imports.length).toBeGreaterThanOrEqual(6);
    expect(imports.filter((line) => !examples.includes(line))).toEqual([]);
  });

  it('docs/embedding.md shows examples/embedding-memory.ts as it is, so the walk-through is the code the packed-library test runs', () => {
    const example = read('examples/embedding-memory.ts').split('\n').slice(2).join('\n').trimEnd();
    const blocks = [...read('docs/embedding.md').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => (match[1] ?? '').trimEnd());
    expect(blocks).toContain(example);
  });
});
