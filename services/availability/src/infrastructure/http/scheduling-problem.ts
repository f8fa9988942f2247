import { RuleViolation } from '@cs/contracts';
import { SchedulingError } from '@cs/scheduling';

/** The engine refuses input by naming a setting or a query field: that is a 422 for the caller. */
export async function orRuleViolation<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SchedulingError)
      throw new RuleViolation([{ field: error.path, message: error.message }]);
    throw error;
  }
}
