import { type DynamicModule, type Type } from '@nestjs/common';
import { type Clock } from '@cs/eventing';
import { type z } from 'zod';
import { type BaseConfig, baseConfigSchema } from '../config/base-config';

export type ServiceConfig<TExtra extends object = object> = BaseConfig & TExtra;

export interface ServiceDefinition<TExtra extends object = object> {
  service: string;
  defaultPort: number;
  /** The service's own variables, e.g. `z.object({ GOOGLE_CLIENT_ID: z.string() })`. */
  configSchema?: z.ZodType<TExtra, z.ZodTypeDef, unknown>;
  /** `clock` is the service's `CLOCK`: the machine's, or one a test sets. */
  appModule: (config: ServiceConfig<TExtra>, clock: Clock) => DynamicModule | Type<unknown>;
}

export function serviceConfigSchema<TExtra extends object>(
  definition: ServiceDefinition<TExtra>,
): z.ZodType<ServiceConfig<TExtra>, z.ZodTypeDef, unknown> {
  const base = baseConfigSchema(definition.service, definition.defaultPort);
  if (definition.configSchema === undefined) {
    // Without extra variables TExtra is the empty default, so the base alone is the whole config.
    return base as z.ZodType<ServiceConfig<TExtra>, z.ZodTypeDef, unknown>;
  }
  return base.and(definition.configSchema);
}
