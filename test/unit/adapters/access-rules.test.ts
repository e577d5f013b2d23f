import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../src/adapters/auth/principal.js';
import { installAccessControl } from '../../../src/adapters/http/access-control.js';
import { ACCESS_RULES, type Access } from '../../../src/adapters/http/access-rules.js';
import { buildHttpServer } from '../../../src/adapters/http/http-server.js';
import { testHttpAuth } from '../../support/auth-tokens.js';
import { memoryApp } from '../../support/memory-app.js';

const DOC = 'docs/access-control.md';
const BEGIN = '<!-- access table: generated from src/adapters/http/access-rules.ts, checked by test/unit/adapters/access-rules.test.ts -->';
const END = '<!-- end of access table -->';

const cell = (access: Access, role: (typeof ROLES)[number]): string => {
  switch (access.kind) {
    case 'open':
      return 'open';
    case 'signed':
      return '-';
    case 'configurable':
      return role === 'operator' ? 'yes (or open)' : 'if open';
    case 'roles': {
      const grant = access.grants[role];
      return grant === undefined ? '-' : grant === true ? 'yes' : `own (${grant})`;
    }
  }
};

const note = (access: Access): string =>
  access.kind === 'open' ? 'no token' : access.kind === 'signed' ? `no token: ${access.by}` : access.kind === 'configurable' ? `${access.setting.toUpperCase()}_ACCESS=open or operator` : '';

/** The table docs/access-control.md shows, one row per route. */
const accessTable = (): string =>
  [
    `| route | ${ROLES.join(' | ')} | note |`,
    `|---|${ROLES.map(() => '---|').join('')}---|`,
    ...Object.entries(ACCESS_RULES).map(([route, access]) => `| \`${route}\` | ${ROLES.map((role) => cell(access, role)).join(' | ')} | ${note(access)} |`),
  ].join('\n');

describe('the access rules', () => {
  it('are the table docs/access-control.md shows', () => {
    const doc = readFileSync(DOC, 'utf8');
    const shown = doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
    expect(doc.indexOf(BEGIN), `${DOC} lacks the marker ${BEGIN}`).toBeGreaterThan(-1);
    expect(shown, `paste this between the markers in ${DOC}:\n${accessTable()}`).toBe(accessTable());
  });

  it('name only routes the server has, and the server has no route without a rule', async () => {
    const { app } = await memoryApp();
    // Building the server registers every route through access control, which refuses one without a rule.
    const server = await buildHttpServer({ services: app, metrics: { exposition: async () => ({ contentType: 'text/plain', text: '' }) }, auth: await testHttpAuth() });
    try {
      await server.ready();
      const stale = Object.keys(ACCESS_RULES).filter((route) => {
        const [method = '', url = ''] = route.split(' ');
        return !server.hasRoute({ method: method as 'GET', url });
      });
      expect(stale).toEqual([]);
    } finally {
      await server.close();
      await app.close();
    }
  });

  it('stop a server from starting with a route they do not name', async () => {
    const server = Fastify();
    installAccessControl(server, await testHttpAuth(), async () => null);
    expect(() => server.get('/no-rule-for-me', async () => 'open?')).toThrow(/route GET \/no-rule-for-me has no access rule: add it to ACCESS_RULES/);
    await server.close();
  });
});
