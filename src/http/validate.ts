import type { z } from 'zod';
import { badRequest } from './errors.js';

/** Parses a request part with a schema; the 400 names the first field that is wrong. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = issues[0]!;
  throw badRequest(`${what}${first.path ? `.${first.path}` : ''}: ${first.message}`, issues);
}

/** Control characters (NUL among them, which PostgreSQL refuses in text) and unpaired surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNUSABLE = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A path parameter as a string (Express types widen params when middleware precedes the handler). Ids
 * are refused here (400) when no record could have them, rather than reaching the database.
 */
export function param(req: { params: Record<string, unknown> }, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw badRequest(`missing path parameter ${name}`);
  if (value.length > 200 || UNUSABLE.test(value)) throw badRequest(`path parameter ${name} is not a valid id`);
  return value;
}

/** A numeric id path parameter; 400 when it is not a positive integer. */
export function idParam(req: { params: Record<string, unknown> }, name: string): number {
  const value = param(req, name);
  if (!/^[1-9]\d{0,15}$/.test(value)) throw badRequest(`path parameter ${name} must be a positive integer`);
  return Number(value);
}
