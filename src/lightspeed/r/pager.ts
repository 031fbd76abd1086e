import type { z } from 'zod';
import type { LightspeedClient } from '../client.js';

type RPage = { '@attributes'?: { next?: string | null } | null } | null | undefined;

/**
 * R-Series paging, for every list the service reads (sales, categories, customer types): the first
 * request with its parameters, then `@attributes.next` verbatim (it carries them) until it is empty.
 */
export async function* rPages<S extends z.ZodType<RPage>>(
  client: LightspeedClient,
  path: string,
  schema: S,
  params: Record<string, string | number>,
  options: { retries?: number } = {},
): AsyncGenerator<z.infer<S>> {
  let next: string | null = path;
  let query: Record<string, string | number> | undefined = params;
  while (next) {
    const page: z.infer<S> = await client.get(next, schema, query, options);
    yield page;
    next = (page as RPage)?.['@attributes']?.next || null;
    query = undefined;
  }
}
