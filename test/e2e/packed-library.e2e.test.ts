import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const NAME = 'event-sourcing-core';

/**
 * The package as another project gets it: built (`npm run build`) and packed (`npm pack`), unpacked into a fresh project's
 * node_modules. Installing it with npm would need the registry (or packuments an `npm ci` cache lacks), so each
 * dependency the tarball declares is linked to the copy this repository installed, and nothing else: a module the
 * package uses without declaring it is not found, as it would not be for a real installer.
 */
const installPacked = async (project: string): Promise<void> => {
  // Built first on its own, so that a compile error fails with the compiler's words (npm pack would run it as prepack).
  await run('npm', ['run', '-s', 'build'], { cwd: REPO }).catch((failure: { stdout?: string; stderr?: string }) => {
    throw new Error(`npm run build failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
  });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', project, '--json', '--silent'], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as [{ filename: string }];
  await run('tar', ['-xzf', join(project, packed.filename), '-C', project]);
  await mkdir(join(project, 'node_modules'), { recursive: true });
  await rename(join(project, 'package'), join(project, 'node_modules', NAME));
  const manifest = JSON.parse(await readFile(join(project, 'node_modules', NAME, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  // @types/node: the embedding project's own, as any TypeScript project on Node has it.
  for (const dependency of [...Object.keys(manifest.dependencies), '@types/node']) {
    const link = join(project, 'node_modules', dependency);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(REPO, 'node_modules', dependency), link, 'dir');
  }
};

// Runs with plain node: what the package loads for the memory environment, what it refuses to expose, and a command.
const CHECK_MJS = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const loaded = new Set();
port1.on('message', (name) => loaded.add(name));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(\`
  let port;
  export const initialize = (data) => { port = data.port; };
  export const resolve = async (specifier, context, next) => {
    const resolved = await next(specifier, context);
    const found = /node_modules\\\\/((?:@[^/]+\\\\/)?[^/]+)/.exec(resolved.url);
    if (found) port.postMessage(found[1]);
    return resolved;
  };\`), { data: { port: port2 }, transferList: [port2] });

const internal = await import('${NAME}/dist/main/tokens.js').then(() => 'importable', (error) => error.code);
const { openMemoryApp } = await import('${NAME}/environments');
const app = await openMemoryApp({ settings: { FULFILMENT: 'manual' } });
const context = { metadata: { correlationId: 'c-1', causationId: null, actor: 'check' } };
const registered = await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, context);
const placed = await app.orders.handle({ type: 'PlaceOrder', orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1000 }], shippingAddress: { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' } }, context);
const refused = await app.orders.handle({ type: 'ShipOrder', orderId: 'o-404', carrier: 'DHL', trackingNumber: 'T1' }, context);
await app.catchUp();
const summary = await app.orderQueries.orderDetails('o-1');
await app.close();
await new Promise((done) => setTimeout(done, 50));
const memoryLoaded = [...loaded].sort();
// The Lambda entry loads what production needs, every module of it declared by the package.
const lambda = await import('${NAME}/lambda');
const handlers = ['streamHandler', 'deadlineHandler', 'httpHandler', 'sqsCommandHandler'].filter((name) => typeof lambda[name] === 'function');
console.log(JSON.stringify({ internal, registered: registered.isOk(), placed: placed.isOk() ? placed.value : placed.error, refused: refused.isErr() ? refused.error.code : 'accepted', summary: summary.isOk() ? summary.value : summary.error, loaded: memoryLoaded, handlers }));
`;

// Two mistakes an embedding project's compiler must catch against the installed declarations.
const WRONG_TS = `import { openMemoryApp } from '${NAME}/environments';
const app = await openMemoryApp();
await app.orders.handle({ type: 'PlaceOrder', orderId: 42 }, { metadata: { correlationId: 'c', causationId: null, actor: 'a' } });
export { TOKENS } from '${NAME}/dist/main/tokens.js';
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], outDir: 'out', skipLibCheck: true },
  files: ['embedding-memory.ts', 'embedding-unit-test.ts', 'wrong.ts'],
};

describe('the packed package in a fresh project', () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'embedder-'));
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'embedder', version: '1.0.0', private: true, type: 'module' }));
    await installPacked(project);
  }, 240_000);
  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('runs a command on the memory environment with plain node, loading no AWS SDK, pg or PGlite, exposing no internals; the Lambda entry loads', async () => {
    await writeFile(join(project, 'check.mjs'), CHECK_MJS);
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project });
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown> & { loaded: string[] };
    expect(outcome).toMatchObject({
      internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      registered: true,
      placed: { streamId: 'Order-o-1', version: 1, eventTypes: ['OrderCreated'] },
      refused: 'ORDER.NOT_FOUND',
      summary: { orderId: 'o-1', customerId: 'c-1', status: 'CREATED', totalAmount: 2000, currency: 'EUR', itemCount: 2 },
      handlers: ['streamHandler', 'deadlineHandler', 'httpHandler', 'sqsCommandHandler'],
    });
    expect(outcome.loaded).toContain('inversify');
    expect(outcome.loaded.filter((name) => /^(@aws-sdk\/|@smithy\/|pg$|pg-|@electric-sql\/)/.test(name))).toEqual([]);
  });

  it('type-checks the embedding examples against the installed declarations, refuses a wrong command and an internal path, and the examples run', async () => {
    for (const example of ['embedding-memory.ts', 'embedding-unit-test.ts']) await copyFile(join(REPO, 'examples', example), join(project, example));
    await writeFile(join(project, 'wrong.ts'), WRONG_TS);
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const compiled = await run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: project }).then(
      () => '',
      (failure: { stdout: string }) => failure.stdout,
    );
    const errors = compiled.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.filter((line) => !line.startsWith('wrong.ts'))).toEqual([]);
    expect(errors.some((line) => line.startsWith('wrong.ts(3,'))).toBe(true);
    expect(errors.some((line) => line.startsWith('wrong.ts(4,'))).toBe(true);
    // tsc emits despite wrong.ts: the examples' JavaScript runs with plain node.
    const { stdout } = await run(process.execPath, [join('out', 'embedding-memory.js')], { cwd: project });
    expect(stdout).toContain('placed Order-o-1 v1: OrderCreated');
    expect(stdout).toContain('{"orderId":"o-1","status":"CREATED","totalAmount":4918,"currency":"EUR"}');
    const tested = await run(process.execPath, ['--test', '--test-reporter=tap', join('out', 'embedding-unit-test.js')], { cwd: project });
    expect(tested.stdout).toMatch(/# pass 2\n# fail 0/);
  });
});
