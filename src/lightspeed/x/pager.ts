import type { z } from 'zod';
import type { LightspeedClient } from '../client.js';
import { xListSchema } from './schemas.js';

/**
 * X-Series 2.0 paging, for every list the service reads (sales, product categories, customer groups):
 * `after=<version.max>` until an empty page or a page that does not move `max` forward. A page without
 * `version.max` ends the list unless `versionOf` can say how far its items reach.
 */
export async function* xPages<T extends z.ZodType>(
  client: LightspeedClient,
  path: string,
  item: T,
  options: { after: number; params?: Record<string, string | number>; versionOf?: (items: Array<z.infer<T>>) => number; retries?: number },
): AsyncGenerator<{ data: Array<z.infer<T>>; max: number }> {
  let after = options.after;
  for (;;) {
    const page = await client.get(path, xListSchema(item), { ...options.params, after }, { retries: options.retries });
    if (!page.data.length) return;
    const data = page.data as Array<z.infer<T>>;
    const max = page.version?.max ?? (options.versionOf ? Math.max(after, options.versionOf(data)) : after);
    yield { data, max };
    if (max <= after) return;
    after = max;
  }
}
