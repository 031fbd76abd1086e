import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fb, type DistributorRequestView } from '../../api/client';
import { ServerError } from '../../components/ServerError/ServerError';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatDate } from '../../format';
import { RequestStatus } from '../FrequentBuyerRequests/RequestStatus';
import form from '../../components/Form/Form.module.css';

const STATUSES: DistributorRequestView['status'][] = ['open', 'added', 'declined'];

/** Every merchant's "not listed" requests, with their status, which platform admins set. */
export function RequestsSection({ requests, onChanged }: { requests: DistributorRequestView[]; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [drafts, setDrafts] = useState<Record<number, { status: DistributorRequestView['status']; note: string }>>({});
  const [error, setError] = useState<unknown>(null);
  const save = async (r: DistributorRequestView) => {
    const draft = drafts[r.id] ?? { status: r.status, note: '' };
    setError(null);
    try {
      await fb.setRequestStatus(r.id, draft.status, draft.note || undefined);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="requests">
      <h2 id="requests">{t('fb.admin.requests')}</h2>
      <ServerError error={error} />
      {requests.length === 0 ? (
        <p className="muted">{t('fb.requests.none')}</p>
      ) : (
        <>
          {/* Every merchant's requests: each in its merchant's time zone, named under the merchant. */}
          <TimeZoneNote each />
          <table>
            <thead>
              <tr>
                <th scope="col">{t('fb.admin.when')}</th>
                <th scope="col">{t('fb.admin.merchant')}</th>
                <th scope="col">{t('fb.requests.distributorName')}</th>
                <th scope="col">{t('fb.requests.offer')}</th>
                <th scope="col">{t('fb.requests.contact')}</th>
                <th scope="col">{t('fb.requests.status')}</th>
                <th scope="col">{t('fb.admin.answer')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => {
                const draft = drafts[r.id] ?? { status: r.status, note: '' };
                return (
                  <tr key={r.id}>
                    <td>{formatDate(r.createdAt, i18n.language, r.merchantTimezone)}</td>
                    <td>
                      {r.merchantName}
                      <div className="muted">{r.merchantTimezone}</div>
                    </td>
                    <td>
                      {r.distributorName}
                      {r.note && <div className="muted">{r.note}</div>}
                    </td>
                    <td>{r.offerName ?? '—'}</td>
                    <td>
                      {r.contact}
                      <div className="muted">{r.requestedBy}</div>
                    </td>
                    <td>
                      <RequestStatus request={r} />
                    </td>
                    <td>
                      <label className="visually-hidden" htmlFor={`request-${r.id}-status`}>
                        {t('fb.requests.status')}
                      </label>
                      <select
                        id={`request-${r.id}-status`}
                        value={draft.status}
                        onChange={(e) => setDrafts({ ...drafts, [r.id]: { ...draft, status: e.target.value as DistributorRequestView['status'] } })}
                      >
                        {STATUSES.map((s) => (
                          <option key={s} value={s}>
                            {t(`fb.requestStatus.${s}`)}
                          </option>
                        ))}
                      </select>
                      <label className="visually-hidden" htmlFor={`request-${r.id}-note`}>
                        {t('fb.claims.note')}
                      </label>
                      <input
                        id={`request-${r.id}-note`}
                        type="text"
                        placeholder={t('fb.claims.note')}
                        value={draft.note}
                        onChange={(e) => setDrafts({ ...drafts, [r.id]: { ...draft, note: e.target.value } })}
                      />
                      <button type="button" className={form.secondary} onClick={() => void save(r)}>
                        {t('fb.admin.saveStatus')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
