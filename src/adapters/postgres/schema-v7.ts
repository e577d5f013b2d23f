/**
 * Idempotency made exact (issue 11): a key's record commits in the same transaction as the events it produced,
 * and only while the claim is still its owner's; records expire after a retention.
 *
 * es_append_completing wraps es_append (whatever migration defined it last: the audit chain's migration 6 today)
 * rather than redefining it, so the append's own rules (versions, hashes, the batch and one-by-one paths) stay in
 * one place. In the same statement, so in the same transaction as the events, it:
 * - locks the claims its commits name (in key order: two batches never deadlock on them) and keeps the commits
 *   whose claim is still their owner's; no claimant can take those over until this transaction ends;
 * - appends those through es_append, in one call, as one batch;
 * - completes the key of every commit that landed (fingerprint, outcome, expiry).
 * A commit whose claim is not its owner's (its lease ran out and another run took the key, or it was released) lands
 * nowhere and is reported with actual_version -1. The same result shape as es_append, so one reader serves both;
 * the adapter calls it only for batches that carry a completion, and plain es_append otherwise.
 */
export const SCHEMA_V7 = `
-- Records past expires_at count as absent to a claim and are removed a bounded batch at a time.
ALTER TABLE es_idempotency_keys ADD COLUMN expires_at timestamptz;
UPDATE es_idempotency_keys SET expires_at = claimed_at + interval '1 day';
ALTER TABLE es_idempotency_keys ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX es_idempotency_keys_expiry_idx ON es_idempotency_keys (expires_at);

CREATE FUNCTION es_append_completing(p_commits jsonb, p_recorded_at timestamptz)
RETURNS TABLE (commit_index integer, next_version integer, last_position bigint, actual_version integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  held integer[];
  kept jsonb;
BEGIN
  WITH c AS (
    SELECT (e.ordinality - 1)::integer AS i, e.value->'idempotency' AS idem FROM jsonb_array_elements(p_commits) WITH ORDINALITY AS e
  ), locked AS (
    SELECT k.key, k.owner FROM es_idempotency_keys AS k
    WHERE k.key IN (SELECT c.idem->>'key' FROM c WHERE c.idem IS NOT NULL)
    ORDER BY k.key
    FOR UPDATE
  )
  SELECT coalesce(array_agg(c.i ORDER BY c.i), '{}') INTO held FROM c
  WHERE c.idem IS NULL OR EXISTS (SELECT FROM locked WHERE locked.key = c.idem->>'key' AND locked.owner = c.idem->>'owner');

  SELECT coalesce(jsonb_agg(p_commits->h ORDER BY n), '[]'::jsonb) INTO kept FROM unnest(held) WITH ORDINALITY AS u(h, n);

  RETURN QUERY
  WITH appended AS MATERIALIZED (
    SELECT held[a.commit_index + 1] AS original, a.next_version, a.last_position, a.actual_version
    FROM es_append(kept, p_recorded_at) AS a
  ), completed AS (
    UPDATE es_idempotency_keys AS k
    SET fingerprint = d.idem->>'fingerprint', outcome = d.idem->'outcome', expires_at = (d.idem->>'expiresAt')::timestamptz
    FROM (SELECT p_commits->(appended.original)->'idempotency' AS idem FROM appended WHERE appended.next_version IS NOT NULL) AS d
    WHERE d.idem IS NOT NULL AND k.key = d.idem->>'key' AND k.owner = d.idem->>'owner'
    RETURNING k.key
  )
  SELECT appended.original, appended.next_version, appended.last_position, appended.actual_version FROM appended
  UNION ALL
  SELECT (e.ordinality - 1)::integer, NULL::integer, NULL::bigint, -1 FROM jsonb_array_elements(p_commits) WITH ORDINALITY AS e
  WHERE NOT ((e.ordinality - 1)::integer = ANY (held));
END
$fn$;
`;
