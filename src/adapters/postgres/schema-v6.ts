/**
 * The audit chain (issue 11, SOX): es_append and es_append_each now store each event's `previousHash` and
 * `hash`, computed by the adapter in JS where it mints the event ids (the hash is over canonical JSON, which
 * SQL cannot reproduce byte for byte), into the columns schema v1 reserved for them.
 *
 * A commit document carries its `previousHash`: the hash it chains from. The functions also check it against
 * the stored head (the row at the base version, read by the same index probe that finds the version), and a
 * commit whose hash is stale lands nowhere, reported as a conflict at the version it expected. That costs one
 * heap fetch per commit and makes a broken link impossible by construction: a caller holding a wrong hash (a
 * cache from before a restore, a bug) reloads and retries instead of writing a chain that verify would flag as
 * tampering forever. A head without a hash (an event from before this migration) counts as the genesis hash.
 *
 * Signatures are unchanged, so CREATE OR REPLACE keeps every caller (and the prepared statement) working.
 */
export const SCHEMA_V6 = `
CREATE OR REPLACE FUNCTION es_append(p_commits jsonb, p_recorded_at timestamptz)
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
           c.value->>'previousHash' AS previous_hash, coalesce(head.version, 0) AS stream_version,
           coalesce(head.hash, repeat('0', 64)) AS head_hash
    FROM jsonb_array_elements(p_commits) WITH ORDINALITY AS c
    LEFT JOIN LATERAL (
      SELECT e.version, e.hash FROM es_events AS e WHERE e.stream_id = c.value->>'streamId' ORDER BY e.version DESC LIMIT 1
    ) AS head ON true
  ), inserted AS (
    INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id, previous_hash, hash)
    SELECT nextval('es_global_position'), commits.stream, commits.stream_version + ev.ordinality::integer, ev.value->>'eventId', ev.value->>'type',
           (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz, p_recorded_at, tx,
           ev.value->>'previousHash', ev.value->>'hash'
    FROM commits, jsonb_array_elements(commits.events) WITH ORDINALITY AS ev
    WHERE commits.expected = commits.stream_version AND (commits.previous_hash IS NULL OR commits.previous_hash = commits.head_hash)
    RETURNING stream_id, version, global_position
  )
  SELECT commits.i, max(inserted.version), max(inserted.global_position), coalesce(max(inserted.version), commits.stream_version::integer)
  FROM commits LEFT JOIN inserted ON inserted.stream_id = commits.stream
  GROUP BY commits.i, commits.stream_version;
END
$fn$;

CREATE OR REPLACE FUNCTION es_append_each(p_commits jsonb, p_recorded_at timestamptz)
RETURNS TABLE (commit_index integer, next_version integer, last_position bigint, actual_version integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  c record;
  stream text;
  expected bigint;
  given_hash text;
  at_version integer;
  at_hash text;
  first_position bigint;
  tx xid8;
BEGIN
  FOR c IN SELECT value AS doc, ordinality::integer - 1 AS i FROM jsonb_array_elements(p_commits) WITH ORDINALITY LOOP
    commit_index := c.i;
    stream := c.doc->>'streamId';
    expected := (c.doc->>'expected')::bigint;
    given_hash := c.doc->>'previousHash';
    next_version := NULL;
    last_position := NULL;
    LOOP
      at_version := NULL;
      at_hash := NULL;
      SELECT e.version, e.hash INTO at_version, at_hash FROM es_events AS e WHERE e.stream_id = stream ORDER BY e.version DESC LIMIT 1;
      at_version := coalesce(at_version, 0);
      EXIT WHEN expected >= 0 AND at_version <> expected;
      -- The events' hashes were computed for the head they name: on any other head they land nowhere, 'any' included.
      EXIT WHEN given_hash IS NOT NULL AND given_hash <> coalesce(at_hash, repeat('0', 64));
      tx := pg_current_xact_id();
      -- The first event claims the version; ON CONFLICT waits for a racing append and lets us lose gracefully.
      INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id, previous_hash, hash)
      SELECT nextval('es_global_position'), stream, at_version + 1, ev.value->>'eventId', ev.value->>'type',
             (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz, p_recorded_at, tx,
             ev.value->>'previousHash', ev.value->>'hash'
      FROM jsonb_array_elements(c.doc->'events') WITH ORDINALITY AS ev WHERE ev.ordinality = 1
      ON CONFLICT (stream_id, version) DO NOTHING
      RETURNING global_position INTO first_position;
      IF first_position IS NOT NULL THEN
        WITH rest AS (
          INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id, previous_hash, hash)
          SELECT nextval('es_global_position'), stream, at_version + ev.ordinality::integer, ev.value->>'eventId', ev.value->>'type',
                 (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz, p_recorded_at, tx,
                 ev.value->>'previousHash', ev.value->>'hash'
          FROM jsonb_array_elements(c.doc->'events') WITH ORDINALITY AS ev WHERE ev.ordinality > 1
          RETURNING global_position, version
        )
        SELECT coalesce(max(rest.global_position), first_position), coalesce(max(rest.version), at_version + 1) INTO last_position, next_version FROM rest;
        at_version := next_version;
        EXIT;
      END IF;
      EXIT WHEN expected >= 0 OR given_hash IS NOT NULL;
    END LOOP;
    actual_version := at_version;
    RETURN NEXT;
  END LOOP;
END
$fn$;
`;
