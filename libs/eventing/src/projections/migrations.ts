import type { Migration } from '../postgres/migrations';

/** The projection registry's additions to the event store's tables (in the service's schema). */
export const projectionMigrations: Migration[] = [
  {
    // Generations recorded before the epoch existed were built at epoch 0: they keep serving.
    id: '0000-eventing-004-projection-epoch',
    sql: `ALTER TABLE projection_generations ADD COLUMN epoch integer NOT NULL DEFAULT 0`,
  },
];
