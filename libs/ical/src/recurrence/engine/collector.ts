import { type BudgetMeter } from './budget';

/**
 * Takes a rule's candidates in ascending order and keeps those in the window. COUNT counts
 * every occurrence from DTSTART on, inside the window or not (dateutil: the rule's own
 * yield, so a DTSTART the rule does not produce is not counted).
 */
export class Collector {
  readonly starts: number[] = [];
  private yielded = 0;

  constructor(
    private readonly startLocal: number,
    private readonly fromLocal: number,
    readonly toLocal: number,
    private readonly count: number | null,
    private readonly meter: BudgetMeter,
  ) {}

  /** False once no later candidate can be kept. */
  add(local: number): boolean {
    if (local < this.startLocal) return true;
    if (this.count !== null && ++this.yielded > this.count) return false;
    if (local > this.toLocal) return false;
    if (local >= this.fromLocal) {
      this.meter.instance();
      this.starts.push(local);
    }
    return true;
  }
}
