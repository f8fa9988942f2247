import { IcalError } from '../../errors';

/** Limits on one expansion: steps are the candidate periods and days the engine examines. */
export interface ExpansionBudget {
  readonly maxSteps: number;
  readonly maxInstances: number;
}

/** Ample for any calendar rule over a window of years; a rule beyond it is unusable anyway. */
export const DEFAULT_EXPANSION_BUDGET: ExpansionBudget = {
  maxSteps: 1_000_000,
  maxInstances: 100_000,
};

/** Counts work as it is done, so that no rule can loop for ever or fill memory. */
export class BudgetMeter {
  private steps = 0;
  private instances = 0;

  constructor(private readonly budget: ExpansionBudget) {}

  step(count = 1): void {
    this.steps += count;
    if (this.steps > this.budget.maxSteps)
      throw exceeded(`more than ${this.budget.maxSteps} steps (maxSteps)`);
  }

  instance(): void {
    this.instances += 1;
    if (this.instances > this.budget.maxInstances)
      throw exceeded(`more than ${this.budget.maxInstances} instances (maxInstances)`);
  }
}

function exceeded(reason: string): IcalError {
  return new IcalError('recurrence-budget', `rule expansion needs ${reason}`, null, 'RRULE');
}
