/**
 * Leases, dead letters, the versions each read-model generation applied, and fenced checkpoints.
 */
export const SCHEMA_V3 = `
-- 0: saved before fencing, or never under a lease; any lease's fence passes it.
ALTER TABLE es_checkpoints ADD COLUMN fence bigint NOT NULL DEFAULT 0;

-- A released or expired lease keeps its row: the fence of whoever takes it next must still grow.
CREATE TABLE es_leases (
  name text COLLATE "C" PRIMARY KEY,
  owner text COLLATE "C" NOT NULL,
  fence bigint NOT NULL CHECK (fence > 0),
  expires_at timestamptz NOT NULL
);

CREATE TABLE es_dead_letters (
  event_id text COLLATE "C" PRIMARY KEY,
  -- Text, as given: it comes back exactly, and ISO 8601 UTC instants sort as text.
  dead_lettered_at text COLLATE "C" NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  bus_error_code text,
  -- json, not jsonb: kept verbatim (key order, numbers, even a \\u0000 that jsonb refuses), for a replay to send unchanged.
  event json NOT NULL
);
CREATE INDEX es_dead_letters_order_idx ON es_dead_letters (dead_lettered_at, event_id);

CREATE TABLE rm_applied_versions (
  kind text COLLATE "C" NOT NULL,
  generation text COLLATE "C" NOT NULL,
  stream_id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  PRIMARY KEY (kind, generation, stream_id)
);
`;
