import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import type { Pool } from 'pg';
import { migrateSchema } from './migrate';
import { poolConfig, type DatabaseOptions } from './pool';
import { migrationClasses, type AnyMigration } from './migrations';

export interface ServiceDataSourceOptions extends DatabaseOptions {
  migrations?: readonly AnyMigration[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities?: readonly Function[];
}

/** TypeORM's options for a service's schema: the pool is configured as every pool here is. */
export function dataSourceOptions(options: ServiceDataSourceOptions): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    schema: options.schema,
    // All of the pool's settings come from `extra`, which TypeORM hands to pg as they are.
    extra: poolConfig(options),
    // Idle clients that lose their server must not crash the process, nor fill the log.
    poolErrorHandler: () => undefined,
    migrations: migrationClasses(options.migrations ?? []),
    migrationsTableName: 'typeorm_migrations',
    migrationsRun: false,
    entities: [...(options.entities ?? [])],
    synchronize: false,
    logging: false,
  };
}

/** Connects and migrates (under the advisory lock); a DataSource that fails is closed again. */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const { schema } = options as PostgresDataSourceOptions;
  if (!schema) throw new Error('a service DataSource needs its schema');
  const dataSource = await new DataSource(options).initialize();
  try {
    await migrateSchema(dataSource, schema);
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

/** The DataSource's own pg pool: the event store, outbox and consumers share it with TypeORM. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}
