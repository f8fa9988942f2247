import type { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { eventingMigrations } from '../event-store/migrations';
import {
  dataSourceOptions,
  openDataSource,
  type ServiceDataSourceOptions,
} from '../postgres/data-source';
import { projectionMigrations } from '../projections/migrations';

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message || error.name : String(error);

/** Connection strings may carry a password; it must not reach a log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** The event store's, outbox's and projections' tables: every service's schema has them first. */
export const backboneMigrations = [...eventingMigrations, ...projectionMigrations];

/**
 * The service's one TypeORM DataSource: it owns the pg pool (which EventingModule hands to the
 * event store as PG_POOL), runs the migrations at start and gives `forFeature` repositories.
 * TypeORM closes it in its shutdown hook, after EventingLifecycle stopped the relay and consumers.
 */
export function databaseModule(options: ServiceDataSourceOptions): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({
      ...dataSourceOptions({
        ...options,
        migrations: [...backboneMigrations, ...(options.migrations ?? [])],
      }),
      autoLoadEntities: true,
      // A database that is not there at start stops the service at once, as it always did.
      toRetry: () => false,
    }),
    dataSourceFactory: async (typeOrmOptions) => {
      try {
        return await openDataSource(typeOrmOptions!);
      } catch (error) {
        throw new Error(
          `cannot prepare PostgreSQL at DATABASE_URL=${redactUrl(options.databaseUrl)}: ${messageOf(error)}`,
        );
      }
    },
  });
}
