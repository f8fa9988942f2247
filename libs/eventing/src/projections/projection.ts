import type { Context } from '@cs/contracts';
import type { PoolClient } from 'pg';
import type { ConsumedEvent } from '../consumers/consumed-event';

/** Physical names of a projection's tables: the live ones, or the shadow ones during a rebuild. */
export type TableNames<T extends string> = Readonly<Record<T, string>>;

export interface ProjectionDefinition<T extends string = string> {
  /** Lower-case letters, digits and underscores; prefixes the projection's tables. */
  name: string;
  /** Raise it when the tables or the handling change: the projection then rebuilds at start. */
  version: number;
  streams: readonly Context[];
  /**
   * DDL for each table, given its physical name. Leave indexes and constraints unnamed, so that a
   * shadow copy can be built next to the live one.
   */
  tables: Readonly<Record<T, (table: string) => string>>;
  apply(events: readonly ConsumedEvent[], tx: PoolClient, tables: TableNames<T>): Promise<void>;
}

export function defineProjection<T extends string>(
  definition: ProjectionDefinition<T>,
): ProjectionDefinition<T> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(definition.name))
    throw new Error(`invalid projection name ${definition.name}`);
  return definition;
}
