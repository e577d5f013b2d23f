import { GlobalLogArchive } from '../../src/application/subscriptions/global-log-feed.js';
import { postgresForFile } from '../support/postgres-fixture.js';
import { tamperingSuite } from './audit-tampering.suite.js';

const postgres = postgresForFile();

tamperingSuite('PostgreSQL', () => {
  const { adapters } = postgres();
  const sql = (text: string, params: unknown[]) => adapters.driver.query(text, params);
  return {
    store: adapters.eventStore,
    archive: new GlobalLogArchive(adapters.eventStore),
    tamper: {
      editData: async (streamId, version) => {
        await sql(`UPDATE es_events SET data = jsonb_set(data, '{totalAmount}', '1') WHERE stream_id = $1 AND version = $2`, [streamId, version]);
      },
      deleteEvent: async (streamId, version) => {
        await sql('DELETE FROM es_events WHERE stream_id = $1 AND version = $2', [streamId, version]);
      },
      swapVersions: async (streamId, a, b) => {
        // Through a spare version: the unique (stream_id, version) index is checked row by row.
        await sql('UPDATE es_events SET version = 1000000 WHERE stream_id = $1 AND version = $2', [streamId, a]);
        await sql('UPDATE es_events SET version = $3 WHERE stream_id = $1 AND version = $2', [streamId, b, a]);
        await sql('UPDATE es_events SET version = $2 WHERE stream_id = $1 AND version = 1000000', [streamId, b]);
      },
    },
  };
});
