import type { Migration } from '../postgres/migrations';

/**
 * The key store, in a schema of its own that the services which seal or read personal data
 * share (docs/adr/0008). A person's keys are versioned; erasing them leaves a row saying so.
 */
export const personalDataMigrations: Migration[] = [
  {
    id: '0050-personal-data-001-keys',
    sql: `
      CREATE TABLE person_keys (
        kind text NOT NULL,
        person_id text NOT NULL,
        version integer NOT NULL,
        key_ref text GENERATED ALWAYS AS (kind || ':' || person_id || ':' || version) STORED UNIQUE,
        -- The person's data key, sealed with the master key named here.
        key_id text NOT NULL,
        wrapped text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, person_id, version)
      );
      -- Holds no personal data: that a person was erased, when, and the last key version they had,
      -- so a key made afterwards never reuses a destroyed version's number.
      CREATE TABLE erased_people (
        kind text NOT NULL,
        person_id text NOT NULL,
        last_version integer NOT NULL,
        erased_at timestamptz NOT NULL,
        PRIMARY KEY (kind, person_id)
      );
    `,
  },
];
