/**
 * Data keys of data subjects (GDPR crypto-shredding): one row per subject with its wrapped key, until erasure
 * sets `wrapped` to NULL and `erased_at`: the row stays as a tombstone, so that no key is made for them again.
 */
export const SCHEMA_V8 = `
CREATE TABLE es_data_keys (
  subject text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL,
  wrapped text NULL,
  created_at timestamptz NOT NULL,
  erased_at timestamptz NULL,
  CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
);
`;
