/** A bearer token, or a function that answers the current one (refreshed by the caller). */
export type TokenSource = string | (() => string | Promise<string>);

/** Sent by the services on a command's answer: the position a read must have reached. */
export const CONSISTENCY_TOKEN_HEADER = 'consistency-token';
/** Sent on a read to wait until it reflects the command that answered that token. */
export const IF_CONSISTENT_WITH_HEADER = 'if-consistent-with';

export interface SessionOptions {
  token?: TokenSource;
  /** Send the last `Consistency-Token` seen on every read (`If-Consistent-With`). */
  followConsistency?: boolean;
}

/** Who calls (the token) and what they last wrote (the consistency token), across services. */
export class Session {
  private consistencyToken: string | undefined;

  constructor(private readonly options: SessionOptions) {}

  /** The last consistency token a service answered, to pass along by hand where wanted. */
  get lastConsistencyToken(): string | undefined {
    return this.consistencyToken;
  }

  async authorization(override?: string): Promise<string | undefined> {
    const token = override ?? this.options.token;
    if (token === undefined) return undefined;
    return `Bearer ${typeof token === 'string' ? token : await token()}`;
  }

  readHeaders(): Record<string, string> {
    if (!this.options.followConsistency || this.consistencyToken === undefined) return {};
    return { [IF_CONSISTENT_WITH_HEADER]: this.consistencyToken };
  }

  observe(headers: Headers): void {
    const token = headers.get(CONSISTENCY_TOKEN_HEADER);
    if (token) this.consistencyToken = token;
  }
}
