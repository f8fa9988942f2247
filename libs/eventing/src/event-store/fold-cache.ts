/** An aggregate's state folded up to a stream version. */
export interface Folded<State> {
  readonly state: State;
  readonly version: number;
}

/**
 * Committed folds by stream, so a command folds only the events after the version remembered
 * instead of the whole history. Only states of committed transactions go in; one behind the
 * stream (another instance wrote since) is caught up by reading the newer events, so the cache
 * may lag but never runs ahead. The least recently used streams leave first.
 */
export class FoldCache<State> {
  private readonly entries = new Map<string, Folded<State>>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): Folded<State> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  remember(streamId: string, folded: Folded<State>): void {
    const known = this.entries.get(streamId);
    if (known && known.version >= folded.version) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
