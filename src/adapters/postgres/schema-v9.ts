/**
 * The import path (disaster recovery's import, the continuous replica): events carried over from another store as
 * it holds them, ids, versions, hashes and recorded_at kept. Each commit names the head it follows (`base`, and
 * its hash as `previousHash`) and lands only while the stream is still there, so a racing writer makes it land
 * nowhere rather than fork the chain; the first event claims its version with ON CONFLICT like es_append_each.
 * The transaction id is taken before any position is drawn, as every appender does, so the gap-free reader of the
 * global log treats imported rows like appended ones and the target's projections see them.
 */
export const SCHEMA_V9 = `
CREATE FUNCTION es_import(p_commits jsonb)
RETURNS TABLE (commit_index integer, landed boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  c record;
  at_version integer;
  at_hash text;
  first_position bigint;
  tx xid8;
BEGIN
  FOR c IN SELECT value AS doc, ordinality::integer - 1 AS i FROM jsonb_array_elements(p_commits) WITH ORDINALITY LOOP
    commit_index := c.i;
    landed := false;
    at_version := NULL;
    at_hash := NULL;
    SELECT e.version, e.hash INTO at_version, at_hash FROM es_events AS e WHERE e.stream_id = c.doc->>'streamId' ORDER BY e.version DESC LIMIT 1;
    IF coalesce(at_version, 0) = (c.doc->>'base')::integer AND coalesce(at_hash, repeat('0', 64)) = c.doc->>'previousHash' THEN
      tx := pg_current_xact_id();
      first_position := NULL;
      INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id, previous_hash, hash)
      SELECT nextval('es_global_position'), c.doc->>'streamId', (ev.value->>'version')::integer, ev.value->>'eventId', ev.value->>'type',
             (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz,
             (ev.value->>'recordedAt')::timestamptz, tx, ev.value->>'previousHash', ev.value->>'hash'
      FROM jsonb_array_elements(c.doc->'events') WITH ORDINALITY AS ev WHERE ev.ordinality = 1
      ON CONFLICT (stream_id, version) DO NOTHING
      RETURNING global_position INTO first_position;
      IF first_position IS NOT NULL THEN
        INSERT INTO es_events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, transaction_id, previous_hash, hash)
        SELECT nextval('es_global_position'), c.doc->>'streamId', (ev.value->>'version')::integer, ev.value->>'eventId', ev.value->>'type',
               (ev.value->>'schemaVersion')::integer, ev.value->'data', ev.value->'metadata', (ev.value->>'occurredAt')::timestamptz,
               (ev.value->>'recordedAt')::timestamptz, tx, ev.value->>'previousHash', ev.value->>'hash'
        FROM jsonb_array_elements(c.doc->'events') WITH ORDINALITY AS ev WHERE ev.ordinality > 1;
        landed := true;
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END
$fn$;
`;
