/**
 * Durable deadlines of workflows: one row per pending deadline, removed once it fired or was cancelled.
 */
export const SCHEMA_V5 = `
CREATE TABLE es_deadlines (
  id text COLLATE "C" PRIMARY KEY,
  workflow text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  due_at timestamptz NOT NULL,
  -- When the workflow instance started, for the age of the oldest one in flight; NULL when the scheduler did not say.
  since timestamptz NULL,
  -- Set by a poller's claim: the row is its own until held_until, after which another poller may take it.
  held_by text,
  held_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Pollers read the oldest due rows first; the id breaks ties, so every poller walks them in one order.
CREATE INDEX es_deadlines_due_idx ON es_deadlines (due_at, id);
-- A workflow instance's pending deadlines (GET /orders/{id}/fulfilment); its workflow prefix also serves the
-- per-workflow summary, so that needs no index of its own.
CREATE INDEX es_deadlines_instance_idx ON es_deadlines (workflow, key);
`;
