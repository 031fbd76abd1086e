import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { DayInput } from '../../components/DayInput/DayInput';
import { browserZone, dayIn, nextDay, useFormat, zonedInstant } from '../../format';
import styles from './Operations.module.css';
import { ServerError } from '../../components/ServerError/ServerError';

/** An admin re-reads a period from Lightspeed: the sales go through the same intake, credited at most once. */
export function BackfillForm({ merchantId }: { merchantId: string }) {
  const { t } = useTranslation();
  // Days of the merchant's calendar (its Operations page gives the zone): "yesterday" is the store's.
  const zone = useFormat().zone ?? browserZone();
  const today = dayIn(new Date(), zone);
  const yesterday = dayIn(new Date(zonedInstant(today, zone).getTime() - 12 * 3_600_000), zone);
  const [from, setFrom] = useState(yesterday);
  const [to, setTo] = useState(today);
  const [notice, setNotice] = useState<{ queued: true } | { error: unknown } | null>(null);
  const fromId = useId();
  const toId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    try {
      // Whole days as the store reads them: from the first day's midnight in the merchant's zone to the end of the last.
      const start = zonedInstant(from, zone);
      const end = zonedInstant(nextDay(to), zone);
      await api.backfill(merchantId, { from: start.toISOString(), to: end.toISOString() });
      setNotice({ queued: true });
    } catch (error) {
      setNotice({ error });
    }
  };
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label={t('ops.backfillTitle')}>
      <label htmlFor={fromId}>
        {t('ops.backfillFrom')}
        <DayInput id={fromId} required value={from} max={to} onChange={setFrom} />
      </label>
      <label htmlFor={toId}>
        {t('ops.backfillTo')}
        <DayInput id={toId} required value={to} min={from} max={today} onChange={setTo} />
      </label>
      <button className="primary" type="submit">
        {t('ops.backfillSubmit')}
      </button>
      <p role="status" style={{ flexBasis: '100%', margin: 0 }}>
        {notice && 'queued' in notice && t('ops.backfillQueued')}
      </p>
      {notice && 'error' in notice && <ServerError error={notice.error} />}
    </form>
  );
}
