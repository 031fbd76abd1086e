import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { useParams, useSearchParams } from 'react-router-dom';
import type { User } from '../../api/client';
import { fb } from '../../api/client';
import { fieldIssues } from '../../api/errorText';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { FrequentBuyerNav } from '../../components/FrequentBuyerNav/FrequentBuyerNav';
import { ServerError } from '../../components/ServerError/ServerError';
import { RequestStatus } from './RequestStatus';
import styles from './FrequentBuyerRequestsPage.module.css';
import formStyles from '../../components/Form/Form.module.css';

/** "My distributor is not listed": the request form, and the merchant's requests with where each stands. */
export function FrequentBuyerRequestsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { merchantId = '' } = useParams();
  const [params] = useSearchParams();
  const canEdit = user.role === 'admin';
  const offers = useAsync(() => fb.offers(), []);
  const requests = useAsync(() => fb.requests(merchantId), [merchantId]);
  const [form, setForm] = useState({ offerId: params.get('offerId') ?? '', distributorName: '', contact: '', note: '' });
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  if (!offers.data || !requests.data) return <Loading error={offers.error ?? requests.error} />;
  const issues = fieldIssues(t, error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSent(false);
    try {
      await fb.requestDistributor(merchantId, {
        ...(form.offerId ? { offerId: Number(form.offerId) } : {}),
        distributorName: form.distributorName,
        contact: form.contact,
        ...(form.note ? { note: form.note } : {}),
      });
      setForm({ ...form, distributorName: '', contact: '', note: '' });
      setSent(true);
      requests.reload();
    } catch (err) {
      setError(err);
    }
  };
  const text = (key: 'distributorName' | 'contact' | 'note') => (
    <div className={formStyles.field}>
      <label htmlFor={`request-${key}`}>{t(`fb.requests.${key}`)}</label>
      <input
        id={`request-${key}`}
        type="text"
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        aria-invalid={issues[key] ? true : undefined}
        aria-describedby={issues[key] ? `request-${key}-issue` : undefined}
      />
      {issues[key] && (
        <span id={`request-${key}-issue`} className="error">
          {issues[key]}
        </span>
      )}
    </div>
  );
  return (
    <>
      <h1>{t('fb.requests.title')}</h1>
      <TimeZoneNote />
      <FrequentBuyerNav merchantId={merchantId} offers={offers.data} />
      {canEdit && (
        <form className={`card ${styles.form}`} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="request-form">
          <h2 id="request-form" className={styles.full}>
            {t('fb.requests.formTitle')}
          </h2>
          <div className={formStyles.field}>
            <label htmlFor="request-offer">{t('fb.requests.offer')}</label>
            <select id="request-offer" value={form.offerId} onChange={(e) => setForm({ ...form, offerId: e.target.value })}>
              <option value="">{t('fb.requests.anyOffer')}</option>
              {offers.data.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          {text('distributorName')}
          {text('contact')}
          {text('note')}
          <div className={styles.full}>
            <button type="submit" className="primary">
              {t('fb.requests.send')}
            </button>
          </div>
          <div className={styles.full}>{Object.keys(issues).length === 0 && <ServerError error={error} />}</div>
          <p role="status" className={styles.full}>
            {sent ? t('fb.requests.sent') : ''}
          </p>
        </form>
      )}
      <h2>{t('fb.requests.mine')}</h2>
      {requests.data.length === 0 ? (
        <p className="muted">{t('fb.requests.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('fb.requests.distributorName')}</th>
              <th scope="col">{t('fb.requests.offer')}</th>
              <th scope="col">{t('fb.requests.contact')}</th>
              <th scope="col">{t('fb.requests.status')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.data.map((r) => (
              <tr key={r.id}>
                <td>{r.distributorName}</td>
                <td>{r.offerName ?? '—'}</td>
                <td>{r.contact}</td>
                <td>
                  <RequestStatus request={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
