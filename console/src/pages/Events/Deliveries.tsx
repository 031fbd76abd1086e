import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { useFormat } from '../../format';
import type { Notice } from './EventsPage';
import styles from './EventsPage.module.css';

/** One endpoint's recent deliveries (status, attempts, latency, response excerpt), with replay. */
export function Deliveries(props: { merchantId: string | null; endpointId: number; canChange: boolean; onNotice: (notice: Notice) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { merchantId, endpointId, canChange } = props;
  const deliveries = useAsync(() => api.webhookDeliveries(merchantId, endpointId), [merchantId, endpointId]);
  const [since, setSince] = useState('');
  const run = async (fn: () => Promise<{ replayed: number }>) => {
    try {
      props.onNotice({ key: 'events.replayed', values: { count: (await fn()).replayed } });
      deliveries.reload();
    } catch (error) {
      props.onNotice({ error });
    }
  };
  const replaySince = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api.replayWebhookSince(merchantId, endpointId, new Date(since).toISOString()));
  };
  return (
    <div>
      <h4>{t('events.deliveries')}</h4>
      {canChange && (
        <form className={styles.replay} onSubmit={replaySince}>
          <label htmlFor={`since-${endpointId}`}>{t('events.replaySince')}</label>
          <input id={`since-${endpointId}`} type="datetime-local" required value={since} onChange={(e) => setSince(e.target.value)} />
          <button type="submit">{t('events.replaySubmit')}</button>
        </form>
      )}
      {!deliveries.data ? (
        <Loading error={deliveries.error} />
      ) : deliveries.data.length === 0 ? (
        <p>{t('events.noDeliveries')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label={t('events.deliveries')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('events.event')}</th>
                <th scope="col">{t('events.status')}</th>
                <th scope="col">{t('events.attempts')}</th>
                <th scope="col">{t('events.latency')}</th>
                <th scope="col">{t('events.response')}</th>
                <th scope="col">{t('events.when')}</th>
                {canChange && <th scope="col">{t('events.replay')}</th>}
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.eventType}</code>
                    <br />
                    <small className={styles.eventId}>{d.eventId}</small>
                  </td>
                  <td>{t(`events.statuses.${d.status}`)}</td>
                  <td>{d.attempts}</td>
                  <td>{d.latencyMs === null ? '–' : `${d.latencyMs} ms`}</td>
                  <td className={styles.excerpt}>{[d.responseStatus, d.error ?? d.responseExcerpt].filter((x) => x !== null && x !== '').join(' · ')}</td>
                  <td>{d.lastAttemptAt ? format.date(d.lastAttemptAt) : '–'}</td>
                  {canChange && (
                    <td>
                      <button type="button" onClick={() => void run(() => api.replayWebhookDelivery(merchantId, endpointId, d.id))}>
                        {t('events.replay')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
