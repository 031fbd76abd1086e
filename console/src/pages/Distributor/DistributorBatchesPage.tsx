import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { distributorApi, type BatchSummaryView } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { ServerError } from '../../components/ServerError/ServerError';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatDate, formatMoney } from '../../format';
import styles from './Distributor.module.css';
import form from '../../components/Form/Form.module.css';

function CreditForm({ batch, onDone }: { batch: BatchSummaryView; onDone: () => void }) {
  const { t } = useTranslation();
  const [reference, setReference] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await distributorApi.credit(batch.id, reference);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className={styles.inline} onSubmit={(e) => void submit(e)} noValidate aria-label={t('fb.portal.creditBatch', { id: batch.id })}>
      <div className={form.field}>
        <label htmlFor={`credit-${batch.id}`}>{t('fb.portal.creditReference')}</label>
        <input id={`credit-${batch.id}`} type="text" value={reference} onChange={(e) => setReference(e.target.value)} />
      </div>
      <button type="submit" className="primary">
        {t('fb.portal.markCredited')}
      </button>
      <ServerError error={error} />
    </form>
  );
}

/** A cell's column name, shown only where the table stacks its cells (a phone); the header says it elsewhere. */
const Label = ({ text }: { text: string }) => (
  <span className={styles.cellLabel} aria-hidden="true">
    {text}
  </span>
);

/** The distributor's batches: download each as CSV, mark it credited with a reference. */
export function DistributorBatchesPage() {
  const { t, i18n } = useTranslation();
  const batches = useAsync(() => distributorApi.batches(), []);
  if (!batches.data) return <Loading error={batches.error} />;
  return (
    <>
      <h1>{t('fb.portal.batchesTitle')}</h1>
      {/* A batch mixes retailers (and zones): its times are the distributor's browser's, named here. */}
      <TimeZoneNote />
      {batches.data.length === 0 ? (
        <p className="muted">{t('fb.portal.noBatches')}</p>
      ) : (
        <table className={styles.stacked}>
          <thead>
            <tr>
              <th scope="col">{t('fb.portal.batch')}</th>
              <th scope="col">{t('fb.claims.when')}</th>
              <th scope="col">{t('fb.portal.claimCount')}</th>
              <th scope="col">{t('fb.portal.total')}</th>
              <th scope="col">{t('fb.portal.export')}</th>
              <th scope="col">{t('fb.portal.credit')}</th>
            </tr>
          </thead>
          <tbody>
            {batches.data.map((b) => (
              <tr key={b.id} data-testid={`batch-${b.id}`}>
                <td>
                  <Label text={t('fb.portal.batch')} />#{b.id}
                </td>
                <td>
                  <Label text={t('fb.claims.when')} />
                  {formatDate(b.createdAt, i18n.language)}
                  <div className="muted">{b.createdBy}</div>
                </td>
                <td>
                  <Label text={t('fb.portal.claimCount')} />
                  {b.claims}
                </td>
                <td>
                  <Label text={t('fb.portal.total')} />
                  {formatMoney(b.total, i18n.language)}
                </td>
                <td>
                  <Label text={t('fb.portal.export')} />
                  <a href={distributorApi.exportUrl(b.id)} download={`batch-${b.id}.csv`}>
                    {t('fb.portal.downloadCsv', { id: b.id })}
                  </a>
                </td>
                <td>
                  <Label text={t('fb.portal.credit')} />
                  {b.creditedAt ? (
                    t('fb.portal.creditedOn', { reference: b.creditReference, date: formatDate(b.creditedAt, i18n.language) })
                  ) : (
                    <CreditForm batch={b} onDone={batches.reload} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
