import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationView } from '../../api/client';
import styles from './LocationFilter.module.css';
import form from '../Form/Form.module.css';

/**
 * A searchable location picker for chains with many locations: typing narrows the list, choosing one
 * filters the grid to it. Two labelled native controls, so keyboard and screen readers need nothing more.
 */
export function LocationFilter({ locations, value, onChange }: { locations: LocationView[]; value: string; onChange: (shopId: string) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [query, setQuery] = useState('');
  const q = query.trim().toLocaleLowerCase();
  const matching = q ? locations.filter((l) => `${l.name} ${l.shopId} ${l.region}`.toLocaleLowerCase().includes(q)) : locations;
  return (
    <div className={styles.filter}>
      <div className={form.field}>
        <label htmlFor={`${ids}-q`}>{t('fb.grid.searchLocation')}</label>
        <input id={`${ids}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} aria-controls={`${ids}-select`} />
      </div>
      <div className={form.field}>
        <label htmlFor={`${ids}-select`}>{t('fb.grid.location', { count: matching.length })}</label>
        <select id={`${ids}-select`} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('fb.grid.allLocations', { count: locations.length })}</option>
          {matching.map((l) => (
            <option key={l.shopId} value={l.shopId}>
              {l.name} ({l.region})
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
