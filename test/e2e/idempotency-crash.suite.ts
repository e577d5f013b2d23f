import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { apiClient, type Api, type ApiResponse } from './support/api-client.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';

// The crash test for idempotency keys: the service is SIGKILLed under concurrent load 20 times and restarted
// on the same store; every command without an answer is sent again with its key until it has one. In the end every
// command is applied exactly once (stock received and support contacts counted per key's command), and a creation
// answers 201 however often it was retried. The projections are off (CONSUMERS=off): what is checked is the log.
const KILLS = 20;
/** New commands per cycle, sent together with the retries of those still unanswered. */
const BURST = 40;
const SKUS = 8;
const CONTACTED = 6;
/** Waiting out a dead process's claims (PostgreSQL: the 5 s lease) and restarts, with room for a loaded machine. */
const SETTLE_LIMIT_MS = 30_000;

type Kind = 'create' | 'receive' | 'contact';

interface Command {
  readonly key: string;
  readonly kind: Kind;
  readonly path: string;
  readonly body: unknown;
  /** The stream it counts in: a new customer, a SKU, a contacted customer. */
  readonly target: string;
  readonly quantity: number;
}

/** What a command got: a final answer, or nothing yet. */
type Answer = ApiResponse | null;

/**
 * What a client sends again with the same key: no response or a 5xx (the service died), the key still held by a run
 * (of a dead process, until its lease runs out), and a conflict the command gave up on after its retries (it
 * appended nothing and gave its key back). Anything else is the command's answer.
 */
const RETRY_CODES = new Set(['IDEMPOTENCY.IN_PROGRESS', 'EVENT_STORE.CONCURRENCY_CONFLICT']);
const isFinal = (response: ApiResponse | null): response is ApiResponse => response !== null && response.status < 500 && !RETRY_CODES.has(response.body?.code);

const personal = (n: number) => ({ name: `Customer ${n}`, email: `customer${n}@example.com`, address: `${n} Crash Street` });

/** A deterministic mix: one creation in four, the rest stock receipts and support contacts. */
const commandsOf = (tag: string, from: number, count: number): Command[] =>
  Array.from({ length: count }, (_, offset): Command => {
    const n = from + offset;
    const key = `idem-${tag}-${n}`;
    if (n % 4 === 0) {
      const customerId = `c-new-${tag}-${n}`;
      return { key, kind: 'create', path: '/customers', body: { customerId, personal: personal(n) }, target: customerId, quantity: 1 };
    }
    if (n % 4 === 1 || n % 4 === 2) {
      const sku = `SKU-IC-${tag}-${Math.floor(n / 4) % SKUS}`;
      const quantity = 1 + (n % 7);
      return { key, kind: 'receive', path: `/inventory/${sku}/receive`, body: { quantity }, target: sku, quantity };
    }
    const customerId = `c-known-${tag}-${Math.floor(n / 4) % CONTACTED}`;
    const body = { channel: 'EMAIL', summary: `contact number ${n}`, agent: 'agent-7' };
    return { key, kind: 'contact', path: `/customers/${customerId}/support-interactions`, body, target: customerId, quantity: 1 };
  });

const send = (api: Api, command: Command): Promise<Answer> => api.post(command.path, command.body, { 'idempotency-key': command.key }).catch(() => null);

/** Every event of a stream, a page at a time. */
const eventsOf = async (api: Api, type: string, id: string): Promise<{ type: string; data: { quantity?: number } }[]> => {
  const events: { type: string; data: { quantity?: number } }[] = [];
  for (let after: number | null = 0; after !== null; ) {
    const page = await api.get(`/aggregates/${type}/${id}/events?afterVersion=${after}&limit=1000`);
    if (page.status === 404) return events;
    expect(page.status).toBe(200);
    events.push(...page.body.events);
    after = page.body.nextAfterVersion;
  }
  return events;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Store {
  readonly name: string;
  readonly tag: string;
  open(): Promise<{ env: Record<string, string>; close(): Promise<void> }>;
}

export const STORES = {
  pglite: {
    name: 'PGlite',
    tag: 'lite',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'es-e2e-idempotency-crash-'));
      return { env: { STORE: 'pglite', DATA_DIR: dataDir }, close: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  postgres: {
    name: 'PostgreSQL',
    tag: 'pg',
    open: async () => {
      const server: PostgresServer = await startPostgres();
      return { env: { STORE: 'postgres', DATABASE_URL: await server.createDatabase() }, close: () => server.stop() };
    },
  },
} satisfies Record<string, Store>;

/** One store per test file, so that the two long runs go to different workers. */
export const idempotencyCrashSuite = (store: Store): void => {
  describe(`idempotency keys across 20 SIGKILLs of the service on ${store.name}`, () => {
    const started: ServiceProcess[] = [];
    let close: (() => Promise<void>) | undefined;

    afterAll(async () => {
      for (const service of started) await service.stop('SIGKILL');
      await close?.();
    });

    it('applies every command exactly once, and a retried creation answers its first outcome (201)', async ({ annotate }) => {
      const began = Date.now();
      const opened = await store.open();
      close = opened.close;
      const start = async (): Promise<{ service: ServiceProcess; api: Api }> => {
        const service = await startServiceProcess({ ...opened.env, FULFILMENT: 'manual', CONSUMERS: 'off' });
        started.push(service);
        return { service, api: apiClient(service.url) };
      };

      // The contacted customers exist before the load; their registration is a command like the others.
      const known = Array.from({ length: CONTACTED }, (_, n): Command => {
        const customerId = `c-known-${store.tag}-${n}`;
        return { key: `idem-${store.tag}-known-${n}`, kind: 'create', path: '/customers', body: { customerId, personal: personal(1_000 + n) }, target: customerId, quantity: 1 };
      });
      const commands: Command[] = [...known];
      const answers = new Map<string, ApiResponse>();
      const retried = new Set<string>();
      let unanswered: Command[] = [];

      for (let cycle = 0; cycle < KILLS; cycle += 1) {
        const { service, api } = await start();
        for (const command of cycle === 0 ? known : []) {
          const answer = await send(api, command);
          if (!isFinal(answer)) throw new Error(`registering ${command.target} before the load got no answer`);
          answers.set(command.key, answer);
        }
        const fresh = commandsOf(store.tag, cycle * BURST, BURST);
        commands.push(...fresh);
        const burst = [...unanswered, ...fresh];
        for (const command of unanswered) retried.add(command.key);
        // Killed once a varying share of the burst has been answered, while the rest is in flight.
        const killAfter = 1 + ((cycle * 7) % Math.ceil(burst.length * 0.6));
        let answered = 0;
        let kill: Promise<unknown> | null = null;
        const results = await Promise.all(
          burst.map(async (command) => {
            const answer = await send(api, command);
            if (isFinal(answer) && (answered += 1) === killAfter) kill = service.stop('SIGKILL');
            return answer;
          }),
        );
        await (kill ?? service.stop('SIGKILL'));
        unanswered = burst.filter((command, index) => {
          const answer = results[index] ?? null;
          if (isFinal(answer)) answers.set(command.key, answer);
          return !isFinal(answer);
        });
      }

      // The last restart: every command still without an answer is sent again with its key until it has one.
      const { api } = await start();
      const settleBy = Date.now() + SETTLE_LIMIT_MS;
      while (unanswered.length > 0 && Date.now() < settleBy) {
        for (const command of unanswered) retried.add(command.key);
        const results = await Promise.all(unanswered.map((command) => send(api, command)));
        unanswered = unanswered.filter((command, index) => {
          const answer = results[index] ?? null;
          if (isFinal(answer)) answers.set(command.key, answer);
          return !isFinal(answer);
        });
        if (unanswered.length > 0) await sleep(250);
      }
      expect(unanswered.map((command) => command.key)).toEqual([]);

      // Every command succeeded, creations with 201, however often they were sent.
      const refused = commands.filter((command) => !(answers.get(command.key)?.status === (command.kind === 'create' ? 201 : 200)));
      expect(refused.map((command) => ({ key: command.key, retried: retried.has(command.key), answer: answers.get(command.key)?.body }))).toEqual([]);
      // The kills landed mid-flight: commands of every kind, creations among them, had to be sent again.
      const retriedCreations = commands.filter((command) => command.kind === 'create' && retried.has(command.key));
      expect(retriedCreations.length).toBeGreaterThan(0);
      expect(new Set(commands.filter((command) => retried.has(command.key)).map((command) => command.kind))).toEqual(new Set(['create', 'receive', 'contact']));

      // Exactly once: each new customer registered once, each SKU holding exactly the receipts sent, each contacted
      // customer exactly the contacts recorded for them.
      const expected = new Map<string, { kind: Kind; count: number; quantity: number }>();
      for (const command of commands) {
        const tally = expected.get(command.target) ?? { kind: command.kind, count: 0, quantity: 0 };
        if (command.kind === 'contact') tally.kind = 'contact';
        expected.set(command.target, { ...tally, count: tally.count + 1, quantity: tally.quantity + command.quantity });
      }
      const found: Record<string, { count: number; quantity: number }> = {};
      const wanted: Record<string, { count: number; quantity: number }> = {};
      for (const [target, tally] of expected) {
        const isSku = target.startsWith('SKU-');
        const events = await eventsOf(api, isSku ? 'inventory' : 'customer', target);
        const counted = events.filter((event) => event.type === (isSku ? 'StockReceived' : tally.kind === 'contact' ? 'SupportInteractionRecorded' : 'CustomerRegistered'));
        found[target] = { count: counted.length, quantity: isSku ? counted.reduce((sum, event) => sum + (event.data.quantity ?? 0), 0) : counted.length };
        // A contacted customer was registered once, by its own command, besides its contacts.
        const contacts = tally.kind === 'contact' ? tally.count - 1 : tally.count;
        wanted[target] = { count: contacts, quantity: isSku ? tally.quantity : contacts };
        if (!isSku && tally.kind === 'contact') expect(events.filter((event) => event.type === 'CustomerRegistered')).toHaveLength(1);
      }
      expect(found).toEqual(wanted);

      // A repeat of any command now returns its first outcome and appends nothing.
      const repeats = await Promise.all(commands.map((command) => send(api, command)));
      expect(repeats.map((repeat) => ({ status: repeat?.status, body: repeat?.body }))).toEqual(commands.map((command) => ({ status: answers.get(command.key)?.status, body: answers.get(command.key)?.body })));

      annotate(
        `${commands.length} commands (${retried.size} retried after a kill, ${retriedCreations.length} of them creations), ${KILLS} kills, ${Math.round((Date.now() - began) / 1_000)} s`,
      );
    }, 600_000);
  });
};
