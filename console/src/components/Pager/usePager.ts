import { useEffect, useState } from 'react';

/** One page of a list and where the next one starts (null: this was the last). */
export interface Page<T, C> {
  items: T[];
  next: C | null;
}

/**
 * A list read a page at a time, newest first: the first page on mount (and whenever `deps` change), then
 * each further page appended to what is already shown ("Show more" keeps the reader's place).
 */
export function usePager<T, C>(fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>, deps: unknown[]) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<C | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const load = (cursor?: C) =>
    fetchPage(cursor).then(
      (page) => {
        setItems((shown) => (cursor !== undefined ? [...(shown ?? []), ...page.items] : page.items));
        setNext(page.next);
      },
      (e: Error) => setError(e),
    );
  useEffect(() => {
    void load();
  }, deps);
  return { items, next, error, more: () => (next === null ? Promise.resolve() : load(next)) };
}
