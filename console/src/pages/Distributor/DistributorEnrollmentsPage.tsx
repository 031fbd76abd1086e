import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { distributorApi, type DistributorEnrollmentView } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { ServerError } from '../../components/ServerError/ServerError';
import styles from './Distributor.module.css';
import form from '../../components/Form/Form.module.css';

const key = (e: DistributorEnrollmentView) => `${e.merchantId}/${e.offerId}/${e.shopId}`;

function HoldingForm({ enrollment, onDone }: { enrollment: DistributorEnrollmentView; onDone: (held: number) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const id = `holding-${key(enrollment).replace(/[^\w-]/g, '_')}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const result = await distributorApi.hold(enrollment, reason);
      onDone(result.heldClaims.length);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className={styles.inline} onSubmit={(e) => void submit(e)} noValidate aria-label={t('fb.portal.holdLocation', { location: enrollment.locationName })}>
      <div className={form.field}>
        <label htmlFor={id}>{t('fb.portal.holdingReason')}</label>
        <input id={id} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="submit" className="primary">
        {t('fb.portal.moveToHolding')}
      </button>
      <ServerError error={error} />
    </form>
  );
}

/** The locations enrolled with this distributor; one it does not serve moves to Temporary Holding, with a reason. */
export function DistributorEnrollmentsPage() {
  const { t } = useTranslation();
  const enrollments = useAsync(() => distributorApi.enrollments(), []);
  const [holding, setHolding] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  if (!enrollments.data) return <Loading error={enrollments.error} />;
  return (
    <>
      <h1>{t('fb.portal.enrollmentsTitle')}</h1>
      <p role="status">{notice}</p>
      {enrollments.data.length === 0 ? (
        <p className="muted">{t('fb.portal.noEnrollments')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('fb.portal.retailer')}</th>
              <th scope="col">{t('fb.grid.locationColumn')}</th>
              <th scope="col">{t('fb.offer.region')}</th>
              <th scope="col">{t('fb.claims.offer')}</th>
              <th scope="col">{t('fb.claims.accountNumber')}</th>
              <th scope="col">{t('fb.portal.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {enrollments.data.map((e) => (
              <tr key={key(e)}>
                <td>{e.merchantName}</td>
                <td>{e.locationName}</td>
                <td>{e.region}</td>
                <td>{e.offerName}</td>
                <td>{e.accountNumber ?? '—'}</td>
                <td>
                  {holding === key(e) ? (
                    <HoldingForm
                      enrollment={e}
                      onDone={(held) => {
                        setHolding(null);
                        setNotice(t('fb.portal.heldDone', { location: e.locationName, count: held }));
                        enrollments.reload();
                      }}
                    />
                  ) : (
                    <button
                      type="button"
                      className={form.secondary}
                      onClick={() => setHolding(key(e))}
                      aria-label={t('fb.portal.holdLocation', { location: e.locationName })}
                    >
                      {t('fb.portal.notOurs')}
                    </button>
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
