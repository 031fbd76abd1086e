import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import styles from './Customer.module.css';
import { ServerError } from '../../components/ServerError/ServerError';

/** An admin's manual ± points with the reason the server requires (and records in the audit log under their name). */
export function AdjustPoints({ merchantId, customerId, onAdjusted }: { merchantId: string; customerId: string; onAdjusted: () => void }) {
  const { t } = useTranslation();
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<{ points: number } | { error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per intended adjustment: a double click or a retry after a lost answer adjusts once.
  const key = useRef(crypto.randomUUID());
  const pointsId = useId();
  const reasonId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      const n = Number(points);
      await api.adjust(merchantId, customerId, { points: n, reason, idempotencyKey: key.current });
      key.current = crypto.randomUUID();
      setNotice({ points: n });
      setPoints('');
      setReason('');
      onAdjusted();
    } catch (error) {
      setNotice({ error });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label={t('customer.adjustTitle')}>
      <label htmlFor={pointsId}>
        {t('customer.adjustPoints')}
        <input id={pointsId} type="number" step={1} required value={points} onChange={(e) => setPoints(e.target.value)} />
      </label>
      <label htmlFor={reasonId}>
        {t('customer.adjustReason')}
        <input id={reasonId} type="text" required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div>
        <button className="primary" type="submit" disabled={busy}>
          {t('customer.adjustSubmit')}
        </button>
      </div>
      <p role="status" style={{ gridColumn: '1 / -1', margin: 0 }}>
        {notice && 'points' in notice && t('customer.adjusted', { points: notice.points })}
      </p>
      {notice && 'error' in notice && (
        <div style={{ gridColumn: '1 / -1' }}>
          <ServerError error={notice.error} />
        </div>
      )}
    </form>
  );
}
