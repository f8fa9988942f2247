import { ConsistentRead } from '@cs/platform';
import { schedulesProjection } from '../read-model/schedules.projection';
import { territoriesProjection } from '../territories.projection';

/** A read of the schedules and territories read models that honours `If-Consistent-With`. */
export const ConsistentScheduleRead = () =>
  ConsistentRead({ projections: [schedulesProjection, territoriesProjection] });
