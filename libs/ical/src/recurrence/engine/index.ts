export { DEFAULT_EXPANSION_BUDGET, type ExpansionBudget } from './budget';
export { ruleStarts, type RuleStartsOptions } from './rule-starts';
