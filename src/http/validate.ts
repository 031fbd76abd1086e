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

/** A path parameter as a string (Express types widen params when middleware precedes the handler). */
export function param(req: { params: Record<string, unknown> }, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw badRequest(`missing path parameter ${name}`);
  return value;
}

/** A numeric id path parameter; 400 when it is not a positive integer. */
export function idParam(req: { params: Record<string, unknown> }, name: string): number {
  const value = param(req, name);
  if (!/^[1-9]\d{0,15}$/.test(value)) throw badRequest(`path parameter ${name} must be a positive integer`);
  return Number(value);
}
