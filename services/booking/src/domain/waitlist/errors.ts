export type WaitlistProblem = 'duplicate' | 'not-waiting' | 'offer-expired' | 'offer-unknown';

/** The waitlist entry is in a state that does not allow the command. */
export class WaitlistConflict extends Error {
  override readonly name = 'WaitlistConflict';

  constructor(
    readonly entryId: string,
    readonly problem: WaitlistProblem,
    detail: string,
  ) {
    super(detail);
  }
}
