import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError, type User } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { formatDate } from '../../format';
import styles from './Sale.module.css';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * A Sale ID we never received: say so, show when the merchant's last webhook and poll came, and let an
 * admin re-read that day from Lightspeed (a backfill goes through the same intake as everything else).
 */
export function SaleNotReceived({ merchantId, saleId, user }: { merchantId: string; saleId: string; user: User }) {
  const { t, i18n } = useTranslation();
  const health = useAsync(async () => (await api.merchants()).find((m) => m.id === merchantId) ?? null, [merchantId]);
  const [day, setDay] = useState(today());
  const [notice, setNotice] = useState<string | null>(null);
  const dayId = useId();
  const canBackfill = user.role === 'admin';
  const backfill = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    // The day as the person's browser reads it, from midnight to midnight.
    const from = new Date(`${day}T00:00:00`);
    const to = new Date(from.getTime() + 86_400_000);
    try {
      await api.backfill(merchantId, { from: from.toISOString(), to: to.toISOString() });
      setNotice(t('sale.backfillQueued', { day }));
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : String(error));
    }
  };
  const m = health.data;
  // Until the merchant's health is here, "never" would be a wrong answer.
  if (health.data === undefined) return <Loading error={health.error} />;
  return (
    <section className="card" aria-labelledby="not-seen" data-testid="sale-not-received">
      <h1 id="not-seen">{t('sale.titleNoReceipt', { saleId })}</h1>
      <p className="verdict">{t('sale.notSeen')}</p>
      <p>{t('sale.notSeenHelp')}</p>
      <dl className={styles.dl}>
        <dt>{t('ops.lastWebhook')}</dt>
        <dd data-testid="last-webhook">{m?.lastWebhookAt ? formatDate(m.lastWebhookAt, i18n.language) : t('merchants.never')}</dd>
        <dt>{t('ops.lastPoll')}</dt>
        <dd data-testid="last-poll">{m?.lastPollAt ? formatDate(m.lastPollAt, i18n.language) : t('merchants.never')}</dd>
        {m?.pollError && (
          <>
            <dt>{t('ops.pollError')}</dt>
            <dd>{m.pollError}</dd>
          </>
        )}
      </dl>
      {canBackfill && (
        <form onSubmit={(e) => void backfill(e)} className={styles.actions} style={{ marginTop: '1rem' }}>
          <label htmlFor={dayId}>{t('sale.backfillDay')}</label>
          <input id={dayId} type="date" required value={day} max={today()} onChange={(e) => setDay(e.target.value)} />
          <button className="primary" type="submit">
            {t('sale.backfill')}
          </button>
        </form>
      )}
      <p role="status">{notice}</p>
      <p>
        <Link to={`/merchants/${encodeURIComponent(merchantId)}/operations`}>{t('merchants.operations')}</Link>
      </p>
    </section>
  );
}
