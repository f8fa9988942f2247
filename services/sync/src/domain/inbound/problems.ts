/** An event sync could not read, or read only in part, as the sync status shows it. */
export interface EventProblem {
  eventUid: string | null;
  line: number | null;
  reason: string;
}

/** What the sync status and the problems event carry: the first ones, and how many there are. */
export const PROBLEMS_SHOWN = 100;

export interface ProblemSummary {
  problems: EventProblem[];
  total: number;
}

const order = (a: EventProblem, b: EventProblem) =>
  (a.eventUid ?? '').localeCompare(b.eventUid ?? '') ||
  (a.line ?? 0) - (b.line ?? 0) ||
  a.reason.localeCompare(b.reason);

const MAX_TEXT = 1000;
const clip = (p: EventProblem): EventProblem => ({
  eventUid: p.eventUid?.slice(0, MAX_TEXT) ?? null,
  line: p.line,
  reason: p.reason.slice(0, MAX_TEXT),
});

/** A calendar's problems from its items', in a stable order so that an unchanged set compares equal. */
export function summarizeProblems(items: ReadonlyArray<readonly EventProblem[]>): ProblemSummary {
  const all = items.flat().map(clip).sort(order);
  return { problems: all.slice(0, PROBLEMS_SHOWN), total: all.length };
}

// Compared field by field: a copy read back from jsonb has its keys in another order.
const key = (summary: ProblemSummary) =>
  JSON.stringify(summary.problems.map((p) => [p.eventUid, p.line, p.reason]));

export const sameProblems = (a: ProblemSummary, b: ProblemSummary): boolean =>
  a.total === b.total && key(a) === key(b);
