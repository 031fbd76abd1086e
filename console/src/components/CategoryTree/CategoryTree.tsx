import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import styles from './CategoryTree.module.css';

interface Props {
  /** Category id → its own name. */
  names: Record<string, string>;
  /** Category id → its parent's id (null at the root). */
  parents: Record<string, string | null>;
  selected: string[];
  disabled?: boolean;
  onChange: (id: string, on: boolean) => void;
}

/**
 * The merchant's categories as a tree of checkboxes. Exempting a category exempts everything under it (the
 * server's rule); the tree only shows that, greyed, on the descendants. Native buttons and checkboxes, so
 * Tab, Space and Enter work; a filter narrows the tree to matching names and their ancestors.
 */
export function CategoryTree({ names, parents, selected, disabled, onChange }: Props) {
  const { t } = useTranslation();
  // Open on the selected categories: a checked "Dog / Food / Prescription" must be seen without a click.
  const [open, setOpen] = useState<Set<string>>(() => {
    const ancestors = new Set<string>();
    for (const id of selected) for (let p = parents[id] ?? null; p && !ancestors.has(p); p = parents[p] ?? null) ancestors.add(p);
    return ancestors;
  });
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const children = useMemo(() => {
    const map = new Map<string | null, string[]>();
    for (const id of Object.keys(names)) {
      const parent = parents[id] && names[parents[id]!] !== undefined ? parents[id]! : null;
      map.set(parent, [...(map.get(parent) ?? []), id]);
    }
    for (const list of map.values()) list.sort((a, b) => names[a]!.localeCompare(names[b]!));
    return map;
  }, [names, parents]);
  const chosen = new Set(selected);
  const ancestorChosen = (id: string): boolean => {
    const seen = new Set<string>();
    for (let at = parents[id]; at && !seen.has(at); at = parents[at]) {
      if (chosen.has(at)) return true;
      seen.add(at);
    }
    return false;
  };
  const q = filter.trim().toLowerCase();
  // With a filter: the matching categories and the path down to them, all open.
  const visible = useMemo(() => {
    if (!q) return null;
    const keep = new Set<string>();
    for (const [id, name] of Object.entries(names)) {
      if (!name.toLowerCase().includes(q)) continue;
      for (let at: string | null | undefined = id; at && !keep.has(at); at = parents[at]) keep.add(at);
    }
    return keep;
  }, [q, names, parents]);
  const toggle = (id: string) => setOpen((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));

  const render = (parent: string | null) => {
    const ids = (children.get(parent) ?? []).filter((id) => !visible || visible.has(id));
    if (!ids.length) return null;
    return (
      <ul className={styles.tree} role={parent === null ? undefined : 'group'}>
        {ids.map((id) => {
          const hasChildren = (children.get(id) ?? []).length > 0;
          const expanded = visible ? true : open.has(id);
          const inherited = !chosen.has(id) && ancestorChosen(id);
          return (
            <li key={id} className={styles.node} data-category={id}>
              <div className={styles.row}>
                {hasChildren ? (
                  <button
                    type="button"
                    className={styles.toggle}
                    aria-expanded={expanded}
                    aria-label={t(expanded ? 'rules.collapse' : 'rules.expand', { name: names[id] })}
                    onClick={() => toggle(id)}
                  >
                    {expanded ? '−' : '+'}
                  </button>
                ) : (
                  <span className={styles.spacer} aria-hidden="true" />
                )}
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.has(id) || inherited}
                    disabled={disabled || inherited}
                    onChange={(e) => onChange(id, e.target.checked)}
                  />{' '}
                  {names[id]}
                </label>
                {inherited && <span className={styles.inherited}>{t('rules.byParent')}</span>}
              </div>
              {hasChildren && expanded && render(id)}
            </li>
          );
        })}
      </ul>
    );
  };

  return (
    <div>
      <div className={styles.filter}>
        <label htmlFor={filterId}>{t('rules.categorySearch')}</label>
        <input id={filterId} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {render(null)}
    </div>
  );
}
