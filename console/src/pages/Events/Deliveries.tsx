import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { DayInput } from '../../components/DayInput/DayInput';
import { browserZone, useFormat, zonedInstant } from '../../format';
import type { Notice } from './EventsPage';
import styles from './EventsPage.module.css';

/** One endpoint's recent deliveries (status, attempts, latency, response excerpt), with replay. */
export function Deliveries(props: { merchantId: string | null; endpointId: number; canChange: boolean; onNotice: (notice: Notice) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { merchantId, endpointId, canChange } = props;
  const deliveries = useAsync(() => api.webhookDeliveries(merchantId, endpointId), [merchantId, endpointId]);
  // A day and a time of the merchant's clock (the zone the page names), never the browser's: the
  // browser's datetime field read it in the browser's zone and wrote it in the browser's locale.
  const [sinceDay, setSinceDay] = useState('');
  const [sinceTime, setSinceTime] = useState('00:00');
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
    const since = zonedInstant(`${sinceDay}T${sinceTime}`, format.zone ?? browserZone());
    void run(() => api.replayWebhookSince(merchantId, endpointId, since.toISOString()));
  };
  return (
    <div>
      <h4>{t('events.deliveries')}</h4>
      {canChange && (
        <form className={styles.replay} onSubmit={replaySince}>
          <label htmlFor={`since-${endpointId}`}>{t('events.replaySince')}</label>
          <DayInput id={`since-${endpointId}`} required value={sinceDay} onChange={setSinceDay} />
          <label htmlFor={`since-time-${endpointId}`}>{t('events.replaySinceTime')}</label>
          <input
            id={`since-time-${endpointId}`}
            type="text"
            inputMode="numeric"
            required
            pattern="([01]\d|2[0-3]):[0-5]\d"
            placeholder="HH:MM"
            size={6}
            value={sinceTime}
            onChange={(e) => setSinceTime(e.target.value.trim())}
          />
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
