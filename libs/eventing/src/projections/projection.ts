import type { Context } from '@cs/contracts';
import type { PoolClient } from 'pg';
import type { ConsumedEvent } from '../consumers/consumed-event';
import type { Revealed } from '../personal-data/personal-data';

/** Physical names of one generation's tables (readers query the stable views instead). */
export type TableNames<T extends string> = Readonly<Record<T, string>>;

export interface ApplyContext {
  /**
   * False while the batch is history replayed into a model under construction: side effects
   * meant for new events (change feeds) must not fire again for it.
   */
  live: boolean;
  /**
   * `value` with its personal data opened in this transaction (docs/adr/0008): sealed parts under
   * their person's key, or `[erased]` once it is destroyed; clear ones as written. A runner not
   * given the key store refuses sealed data rather than guess it.
   */
  reveal<V>(tx: PoolClient, value: V): Promise<Revealed<V>>;
}

export interface ProjectionDefinition<T extends string = string> {
  /** Lower-case letters, digits and underscores; prefixes the projection's tables. */
  name: string;
  /**
   * Raise it when the tables or the handling change: the new version is built beside the old one
   * and readers move to it once it has caught up. An operator's raised `PROJECTION_EPOCH` does
   * the same for the same code.
   */
  version: number;
  streams: readonly Context[];
  /**
   * DDL for each table, given its physical name. Leave indexes and constraints unnamed, so that a
   * new generation can be built next to the active one. Readers query `proj_<name>_<table>`.
   */
  tables: Readonly<Record<T, (table: string) => string>>;
  apply(
    events: readonly ConsumedEvent[],
    tx: PoolClient,
    tables: TableNames<T>,
    context: ApplyContext,
  ): Promise<void>;
}

export function defineProjection<T extends string>(
  definition: ProjectionDefinition<T>,
): ProjectionDefinition<T> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(definition.name))
    throw new Error(`invalid projection name ${definition.name}`);
  return definition;
}
