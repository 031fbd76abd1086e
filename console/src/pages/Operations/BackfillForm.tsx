import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { DayInput } from '../../components/DayInput/DayInput';
import styles from './Operations.module.css';
import { ServerError } from '../../components/ServerError/ServerError';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** An admin re-reads a period from Lightspeed: the sales go through the same intake, credited at most once. */
export function BackfillForm({ merchantId }: { merchantId: string }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(day(-1));
  const [to, setTo] = useState(day(0));
  const [notice, setNotice] = useState<{ queued: true } | { error: unknown } | null>(null);
  const fromId = useId();
  const toId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    try {
      // Whole days as the person's browser reads them: from the first day's midnight to the end of the last.
      const start = new Date(`${from}T00:00:00`);
      const end = new Date(new Date(`${to}T00:00:00`).getTime() + 86_400_000);
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
        <DayInput id={toId} required value={to} min={from} max={day(0)} onChange={setTo} />
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
