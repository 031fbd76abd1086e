import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fb, type DistributorView } from '../../api/client';
import { fieldIssues } from '../../api/errorText';
import { ServerError } from '../../components/ServerError/ServerError';
import { Field } from './Field';
import styles from './FrequentBuyerAdminPage.module.css';

/** Distributors: the regions they serve and whether they need the retailer's account number. */
export function DistributorsSection({ distributors, onChanged }: { distributors: DistributorView[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ name: '', regions: '', requiresAccountNumber: false });
  const [error, setError] = useState<unknown>(null);
  const issues = fieldIssues(t, error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      // Only the shape is the console's: the server says whether each region code is one.
      const regions = form.regions.split(/[\s,]+/).filter(Boolean);
      await fb.createDistributor({ name: form.name, regions, requiresAccountNumber: form.requiresAccountNumber });
      setForm({ name: '', regions: '', requiresAccountNumber: false });
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const described = (key: string) => (issues[key] ? { 'aria-invalid': true as const, 'aria-describedby': `distributor-${key}-issue` } : {});
  return (
    <section aria-labelledby="distributors">
      <h2 id="distributors">{t('fb.admin.distributors')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('fb.admin.name')}</th>
            <th scope="col">{t('fb.admin.regions')}</th>
            <th scope="col">{t('fb.admin.requiresAccountNumber')}</th>
          </tr>
        </thead>
        <tbody>
          {distributors.map((d) => (
            <tr key={d.id}>
              <td>
                {d.isHolding ? t('fb.grid.holding') : d.name} {d.isHolding && <span className="muted">({t('fb.admin.builtIn')})</span>}
              </td>
              <td>{d.regions.join(', ') || '—'}</td>
              <td>{d.requiresAccountNumber ? t('common.yes') : t('common.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className={`card ${styles.form}`} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-distributor">
        <h3 id="new-distributor" className={styles.full}>
          {t('fb.admin.newDistributor')}
        </h3>
        <Field id="distributor-name" label={t('fb.admin.name')} issue={issues.name}>
          <input id="distributor-name" type="text" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} {...described('name')} />
        </Field>
        <Field id="distributor-regions" label={t('fb.admin.regionsHint')} issue={issues.regions}>
          <input
            id="distributor-regions"
            type="text"
            value={form.regions}
            onChange={(e) => setForm({ ...form, regions: e.target.value })}
            {...described('regions')}
          />
        </Field>
        <label className={styles.check}>
          <input type="checkbox" checked={form.requiresAccountNumber} onChange={(e) => setForm({ ...form, requiresAccountNumber: e.target.checked })} />
          {t('fb.admin.requiresAccountNumber')}
        </label>
        <div className={styles.full}>
          <button type="submit" className="primary">
            {t('fb.admin.addDistributor')}
          </button>
          {Object.keys(issues).length === 0 && <ServerError error={error} />}
        </div>
      </form>
    </section>
  );
}
