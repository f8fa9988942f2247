/** A command that breaks a business rule; each violation names the input field it concerns. */
export class RuleViolation extends Error {
  constructor(readonly violations: ReadonlyArray<{ field: string; message: string }>) {
    super(violations.map((v) => `${v.field}: ${v.message}`).join('; '));
    this.name = 'RuleViolation';
  }
}
