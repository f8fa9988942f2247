/** Types that read the generated OpenAPI `paths` (openapi-typescript) for the client's calls. */

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The paths that have this method. */
export type PathsWith<Paths, M extends HttpMethod> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: object } ? P : never;
}[keyof Paths] &
  string;

export type OperationOf<Paths, P extends keyof Paths, M extends HttpMethod> = Paths[P] extends {
  [K in M]: infer Op;
}
  ? Op
  : never;

/** `{bookingId}` and the like, read from the path itself (the documents do not list them all). */
type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never;

type Params<P extends string> = [PathParamNames<P>] extends [never]
  ? { params?: undefined }
  : { params: Record<PathParamNames<P>, string> };

/** The header parameters a document declares; the client fills in `idempotency-key` itself. */
type DeclaredHeaders<Op> = Op extends { parameters: { header?: infer H } }
  ? H extends object
    ? Partial<H>
    : unknown
  : unknown;

type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : unknown;

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export type CallInit<P extends string, Op> = Params<P> & {
  query?: Query;
  headers?: DeclaredHeaders<Op> & Record<string, string>;
  body?: JsonBody<Op>;
  /** Overrides the key the client makes for an idempotent operation. */
  idempotencyKey?: string;
  /** Another bearer token than the session's, for this call. */
  token?: string;
};

/** The init argument, required only when the path has parameters. */
export type CallArgs<P extends string, Op> = [PathParamNames<P>] extends [never]
  ? [init?: CallInit<P, Op>]
  : [init: CallInit<P, Op>];

/** What a document says a success carries, where it says it (only health does today). */
export type DocumentedAnswer<Op> = Op extends {
  responses: { 200: { content: { 'application/json': infer A } } };
}
  ? A
  : Record<string, unknown>;
