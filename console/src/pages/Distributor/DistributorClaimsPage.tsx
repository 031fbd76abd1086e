import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { distributorApi } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { ServerError } from '../../components/ServerError/ServerError';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatDate, formatMoney } from '../../format';
import { DenyForm } from './DenyForm';
import styles from './Distributor.module.css';
import form from '../../components/Form/Form.module.css';

const VIEWS = ['new,resubmitted', 'held', 'batched', 'denied', 'credited'] as const;

/** The distributor's claims: new and resubmitted by default; deny one, or batch the chosen ones (or all). */
export function DistributorClaimsPage() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<(typeof VIEWS)[number]>('new,resubmitted');
  const me = useAsync(() => distributorApi.me(), []);
  const claims = useAsync(() => distributorApi.claims(view), [view]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [denying, setDenying] = useState<number | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (!me.data || !claims.data) return <Loading error={me.error ?? claims.error} />;
  const open = view === 'new,resubmitted';
  const batch = async (ids?: number[]) => {
    setError(null);
    try {
      const created = await distributorApi.batch(ids);
      setNotice(t('fb.portal.batched', { id: created.id, count: created.claimIds.length }));
      setChosen([]);
      claims.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>{t('fb.portal.claimsTitle', { name: me.data.distributor.name })}</h1>
      <div className={styles.toolbar}>
        <div className={form.field}>
          <label htmlFor="claims-view">{t('fb.portal.show')}</label>
          <select id="claims-view" value={view} onChange={(e) => setView(e.target.value as (typeof VIEWS)[number])}>
            {VIEWS.map((v) => (
              <option key={v} value={v}>
                {t(`fb.portal.view.${v.replace(',', '_')}`)}
              </option>
            ))}
          </select>
        </div>
        {open && (
          <>
            <button type="button" className="primary" disabled={!chosen.length} onClick={() => void batch(chosen)}>
              {t('fb.portal.batchChosen', { count: chosen.length })}
            </button>
            <button type="button" className={form.secondary} disabled={!claims.data.length} onClick={() => void batch()}>
              {t('fb.portal.batchAll')}
            </button>
          </>
        )}
      </div>
      <p role="status">{notice}</p>
      <ServerError error={error} />
      {claims.data.length === 0 ? (
        <p className="muted">{t('fb.portal.noClaims')}</p>
      ) : (
        <>
          {/* Each claim in its retailer's time zone (the day the store sees), named under the retailer. */}
          <TimeZoneNote each />
          <table data-testid="distributor-claims">
            <thead>
              <tr>
                {open && <th scope="col">{t('fb.portal.choose')}</th>}
                <th scope="col">{t('fb.claims.claimColumn')}</th>
                <th scope="col">{t('fb.portal.retailer')}</th>
                <th scope="col">{t('fb.claims.accountNumber')}</th>
                <th scope="col">{t('fb.claims.offer')}</th>
                <th scope="col">{t('fb.claims.value')}</th>
                <th scope="col">{t('fb.claims.status')}</th>
                <th scope="col">{t('fb.claims.when')}</th>
                {open && <th scope="col">{t('fb.portal.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {claims.data.map((c) => (
                <tr key={c.id} data-testid={`distributor-claim-${c.id}`}>
                  {open && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('fb.portal.chooseClaim', { id: c.id })}
                        checked={chosen.includes(c.id)}
                        onChange={(e) => setChosen(e.target.checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id))}
                      />
                    </td>
                  )}
                  <td>
                    <Link to={`/distributor/claims/${c.id}`}>#{c.id}</Link>
                  </td>
                  <td>
                    {c.merchantName} — {c.locationName ?? c.shopId}
                    <div className="muted">{c.merchantTimezone}</div>
                  </td>
                  <td>{c.accountNumber ?? '—'}</td>
                  <td>{c.offerName}</td>
                  <td>{formatMoney(c.value, i18n.language)}</td>
                  <td>{t(`fb.claimStatus.${c.status}`)}</td>
                  <td>{formatDate(c.updatedAt, i18n.language, c.merchantTimezone)}</td>
                  {open && (
                    <td>
                      {denying === c.id ? (
                        <DenyForm
                          claimId={c.id}
                          onDone={() => {
                            setDenying(null);
                            setNotice(t('fb.portal.denied', { id: c.id }));
                            claims.reload();
                          }}
                        />
                      ) : (
                        <button type="button" className={form.secondary} onClick={() => setDenying(c.id)} aria-label={t('fb.portal.denyClaim', { id: c.id })}>
                          {t('fb.portal.deny')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
