import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type User } from '../../api/client';
import { DayInput } from '../../components/DayInput/DayInput';
import { useMerchants } from '../../api/hooks';
import { Loading } from '../../components/Async/Loading';
import { ServerError } from '../../components/ServerError/ServerError';
import { dayIn, formatDate, nextDay, zonedInstant } from '../../format';
import styles from './Sale.module.css';

/**
 * A Sale ID we never received: say so, show when the merchant's last webhook and poll came, and let an
 * admin re-read that day from Lightspeed (a backfill goes through the same intake as everything else).
 * A sale of a merchant the person may not see reads the same, without the merchant's facts.
 */
export function SaleNotReceived({ merchantId, saleId, user }: { merchantId: string; saleId: string; user: User }) {
  const { t, i18n } = useTranslation();
  const health = useMerchants();
  // Until the person types one, the store's today (its time zone's, not the browser's or UTC's).
  const [typed, setTyped] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const dayId = useId();
  // Until the merchants are here, "never" would be a wrong answer.
  if (health.data === undefined) return <Loading error={health.error} />;
  const m = health.data.find((x) => x.id === merchantId);
  const canBackfill = user.role === 'admin' && m !== undefined;
  const today = m ? dayIn(new Date(), m.timezone) : '';
  const day = typed ?? today;
  const backfill = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    setFailure(null);
    if (!m) return;
    // The day as the store reads it: from midnight to midnight in the merchant's time zone.
    const from = zonedInstant(day, m.timezone);
    const to = zonedInstant(nextDay(day), m.timezone);
    try {
      await api.backfill(merchantId, { from: from.toISOString(), to: to.toISOString() });
      setNotice(t('sale.backfillQueued', { day }));
    } catch (error) {
      setFailure(error);
    }
  };
  const when = (value: string | null) => (value ? formatDate(value, i18n.language, m?.timezone) : t('merchants.never'));
  return (
    <section className="card" aria-labelledby="not-seen" data-testid="sale-not-received">
      <h1 id="not-seen">{t('sale.titleNoReceipt', { saleId })}</h1>
      <p className="verdict">{t('sale.notSeen')}</p>
      <p>{t(m ? 'sale.notSeenHelp' : 'sale.notSeenHelpOther')}</p>
      {m && (
        <dl className={styles.dl}>
          <dt>{t('ops.lastWebhook')}</dt>
          <dd data-testid="last-webhook">{when(m.lastWebhookAt)}</dd>
          <dt>{t('ops.lastPoll')}</dt>
          <dd data-testid="last-poll">{when(m.lastPollAt)}</dd>
          {m.pollError && (
            <>
              <dt>{t('ops.pollError')}</dt>
              <dd>{m.pollError}</dd>
            </>
          )}
          <dt>{t('sale.zone')}</dt>
          <dd>{m.timezone}</dd>
        </dl>
      )}
      {canBackfill && (
        <form onSubmit={(e) => void backfill(e)} className={styles.actions} style={{ marginTop: '1rem' }}>
          <label htmlFor={dayId}>{t('sale.backfillDay')}</label>
          <DayInput id={dayId} required value={day} max={today} onChange={setTyped} />
          <button className="primary" type="submit">
            {t('sale.backfill')}
          </button>
        </form>
      )}
      <p role="status">{notice}</p>
      <ServerError error={failure} />
      {m && (
        <p>
          <Link to={`/merchants/${encodeURIComponent(merchantId)}/operations`}>{t('merchants.operations')}</Link>
        </p>
      )}
    </section>
  );
}
