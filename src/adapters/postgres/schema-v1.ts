/**
 * The first schema: the event log, snapshots, checkpoints, idempotency keys and the read models.
 * Identifiers are compared byte-wise (COLLATE "C"), the same on every server whatever its locale.
 */
export const SCHEMA_V1 = `
-- CACHE 1 (the default) matters: readers take last_value as "every position handed out so far".
CREATE SEQUENCE es_global_position AS bigint;

-- A stream is its events: the unique (stream_id, version) index is both the version check and the race referee.
CREATE TABLE es_events (
  global_position bigint PRIMARY KEY,
  stream_id text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  event_id text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  schema_version integer NOT NULL CHECK (schema_version > 0),
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  -- The commit's transaction: events of one commit share it, and readers can order by commit if they ever need to.
  transaction_id xid8 NOT NULL,
  -- The audit chain, filled in when it lands: this event's hash and the hash it chains from.
  previous_hash text,
  hash text,
  CONSTRAINT es_events_event_id_key UNIQUE (event_id),
  CONSTRAINT es_events_stream_version_key UNIQUE (stream_id, version)
);
CREATE INDEX es_events_type_idx ON es_events (type, occurred_at);

CREATE TABLE es_snapshots (
  stream_id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  state_schema_version integer NOT NULL,
  state jsonb NOT NULL,
  -- Instants the aggregate reported, kept exactly as given: the store never computes with them.
  created_at text,
  last_modified_at text,
  taken_at text NOT NULL,
  PRIMARY KEY (stream_id, version)
);

CREATE TABLE es_checkpoints (
  subscriber text COLLATE "C" PRIMARY KEY,
  position text NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE es_idempotency_keys (
  key text COLLATE "C" PRIMARY KEY,
  -- NULL while the command runs; set when it completed.
  fingerprint text,
  outcome jsonb,
  claimed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rm_order_summaries (
  generation text COLLATE "C" NOT NULL,
  order_id text COLLATE "C" NOT NULL,
  customer_id text COLLATE "C" NOT NULL,
  status text NOT NULL,
  total_amount bigint NOT NULL,
  currency text NOT NULL,
  item_count integer NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  last_updated text NOT NULL,
  version integer NOT NULL,
  PRIMARY KEY (generation, order_id)
);
CREATE INDEX rm_order_summaries_customer_idx ON rm_order_summaries (generation, customer_id, created_at, order_id);

CREATE TABLE rm_inventory_levels (
  generation text COLLATE "C" NOT NULL,
  sku text COLLATE "C" NOT NULL,
  on_hand integer NOT NULL,
  reserved integer NOT NULL,
  allocated integer NOT NULL,
  available integer NOT NULL,
  version integer NOT NULL,
  last_updated text NOT NULL,
  PRIMARY KEY (generation, sku)
);

CREATE TABLE rm_support_history (
  generation text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  customer_id text COLLATE "C" NOT NULL,
  at text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  event_type text NOT NULL,
  stream_id text NOT NULL,
  summary text NOT NULL,
  PRIMARY KEY (generation, event_id)
);
CREATE INDEX rm_support_history_customer_idx ON rm_support_history (generation, customer_id, at);

CREATE TABLE rm_support_links (
  generation text COLLATE "C" NOT NULL,
  from_id text COLLATE "C" NOT NULL,
  to_id text NOT NULL,
  PRIMARY KEY (generation, from_id)
);

-- Appends a batch of commits in one round trip, each commit all or nothing. A commit states the
-- version it expects (-1: any, 0: the stream must not exist, n: exactly n). Invariant readers rely
-- on: a transaction takes its id BEFORE it draws a position, so a reader can tell a position still
-- in flight from a hole a rolled-back transaction left.
--
-- The common batch (distinct streams, exact expectations) is two statements whatever its size: the
-- versions are checked against the unique index's max, and the commits that pass are inserted at
-- once; a commit failing its check draws no position. A racing append of the same version makes
-- the insert fail on the unique index and the whole batch roll back; the caller then sends the
-- commits one at a time to learn each one's fate.
CREATE FUNCTION es_append(p_commits jsonb, p_recorded_at timestamptz)
RETURNS TABLE (commit_index integer, next_version integer, last_position bigint, actual_version integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  tx xid8;
BEGIN
  IF EXISTS (
    SELECT FROM jsonb_array_elements(p_commits) AS c
    GROUP BY c.value->>'streamId' HAVING count(*) > 1 OR bool_or((c.value->>'expected')::bigint < 0)
  ) THEN
    RETURN QUERY SELECT * FROM es_append_each(p_commits, p_recorded_at);
    RETURN;
  END IF;
  tx := pg_current_xact_id();
  RETURN QUERY
  WITH commits AS (
    SELECT (c.ordinality - 1)::integer AS i, c.value->>'streamId' AS stream, (c.value->>'expected')::bigint AS expected, c.value->'events' AS events,
           coalesce((SELECT max(e.version) FROM es_events AS e WHERE e.stream_id = c.value->>'streamId'), 0) AS stream_version
    FROM jsonb_array_elements(p_commits) WITH ORDINALITY AS c
  ), inserted AS (
    INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id)
    SELECT nextval('es_global_position'), commits.stream, commits.stream_version + ev.ordinality::integer, ev.value->>'eventId', ev.value->>'type',
           (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz, p_recorded_at, tx
    FROM commits, jsonb_array_elements(commits.events) WITH ORDINALITY AS ev
    WHERE commits.expected = commits.stream_version
    RETURNING stream_id, version, global_position
  )
  SELECT commits.i, max(inserted.version), max(inserted.global_position), coalesce(max(inserted.version), commits.stream_version::integer)
  FROM commits LEFT JOIN inserted ON inserted.stream_id = commits.stream
  GROUP BY commits.i, commits.stream_version;
END
$fn$;

-- One commit after another, each seeing the ones before it: for batches naming a stream twice and
-- for 'any', which takes whatever version comes next and waits out a racing append instead of failing.
CREATE FUNCTION es_append_each(p_commits jsonb, p_recorded_at timestamptz)
RETURNS TABLE (commit_index integer, next_version integer, last_position bigint, actual_version integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  c record;
  stream text;
  expected bigint;
  at_version integer;
  first_position bigint;
  tx xid8;
BEGIN
  FOR c IN SELECT value AS doc, ordinality::integer - 1 AS i FROM jsonb_array_elements(p_commits) WITH ORDINALITY LOOP
    commit_index := c.i;
    stream := c.doc->>'streamId';
    expected := (c.doc->>'expected')::bigint;
    next_version := NULL;
    last_position := NULL;
    LOOP
      SELECT coalesce(max(e.version), 0) INTO at_version FROM es_events AS e WHERE e.stream_id = stream;
      EXIT WHEN expected >= 0 AND at_version <> expected;
      tx := pg_current_xact_id();
      -- The first event claims the version; ON CONFLICT waits for a racing append and lets us lose gracefully.
      INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id)
      SELECT nextval('es_global_position'), stream, at_version + 1, ev.value->>'eventId', ev.value->>'type',
             (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz, p_recorded_at, tx
      FROM jsonb_array_elements(c.doc->'events') WITH ORDINALITY AS ev WHERE ev.ordinality = 1
      ON CONFLICT (stream_id, version) DO NOTHING
      RETURNING global_position INTO first_position;
      IF first_position IS NOT NULL THEN
        WITH rest AS (
          INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id)
          SELECT nextval('es_global_position'), stream, at_version + ev.ordinality::integer, ev.value->>'eventId', ev.value->>'type',
                 (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz, p_recorded_at, tx
          FROM jsonb_array_elements(c.doc->'events') WITH ORDINALITY AS ev WHERE ev.ordinality > 1
          RETURNING global_position, version
        )
        SELECT coalesce(max(rest.global_position), first_position), coalesce(max(rest.version), at_version + 1) INTO last_position, next_version FROM rest;
        at_version := next_version;
        EXIT;
      END IF;
      EXIT WHEN expected >= 0;
    END LOOP;
    actual_version := at_version;
    RETURN NEXT;
  END LOOP;
END
$fn$;

-- What a reader needs to pass a missing position safely: every position up to drawn_up_to was
-- drawn by a transaction older than xid. Read the sequence first, then take an id.
CREATE FUNCTION es_draw_horizon(OUT drawn_up_to bigint, OUT xid xid8)
LANGUAGE plpgsql AS $fn$
BEGIN
  SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO drawn_up_to FROM es_global_position;
  xid := pg_current_xact_id();
END
$fn$;
`;
