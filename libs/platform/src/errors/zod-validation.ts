import { type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { type z } from 'zod';
import { type FieldError, validationProblem } from './problem';

export type RequestPart = 'body' | 'query' | 'params';

const DETAILS: Record<RequestPart, string> = {
  body: 'The request body is not valid.',
  query: 'The query string is not valid.',
  params: 'The path parameters are not valid.',
};

/**
 * Dotted paths as the client wrote them (`weeklyHours.0.start`). `key` is set when only one
 * member of the part was validated (`@Query('from')`); an issue with the value as a whole is
 * reported on that member, or on the part itself.
 */
export function fieldErrors(error: z.ZodError, where: RequestPart, key?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = key === undefined ? issue.path : [key, ...issue.path];
    return { field: path.length === 0 ? where : path.join('.'), message: issue.message };
  });
}

// A body that parsed as JSON but breaks its schema or rules is unprocessable (422), with every
// problem at once; 400 is left to bodies that are not JSON at all (body-parser's answer).
const STATUS: Record<RequestPart, number> = { body: 422, query: 400, params: 400 };

function parse<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
  where: RequestPart,
  key?: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw validationProblem(fieldErrors(result.error, where, key), DETAILS[where], STATUS[where]);
  return result.data;
}

/**
 * Parses what entered through HTTP, or throws a problem naming each bad field: 422 for a body,
 * 400 for a query string or path.
 */
export function parseOr400<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
  where: RequestPart,
): T {
  return parse(schema, value, where);
}

/** For a body schema whose rules need I/O (async refinements): the same answer as the pipe. */
export async function parseBody<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
): Promise<T> {
  const result = await schema.safeParseAsync(value);
  if (!result.success) {
    throw validationProblem(fieldErrors(result.error, 'body'), DETAILS.body, STATUS.body);
  }
  return result.data;
}

const PARTS: Partial<Record<ArgumentMetadata['type'], RequestPart>> = {
  body: 'body',
  query: 'query',
  param: 'params',
};

/** `@Body(new ZodValidationPipe(schema)) body: T`: the same check as `parseOr400`. */
export class ZodValidationPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>) {}

  transform(value: unknown, metadata: ArgumentMetadata): T {
    return parse(this.schema, value, PARTS[metadata.type] ?? 'body', metadata.data);
  }
}
