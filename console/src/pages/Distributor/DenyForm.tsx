import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DENIAL_REASONS, distributorApi, type DenialReason } from '../../api/client';
import { ServerError } from '../../components/ServerError/ServerError';
import styles from './Distributor.module.css';
import form from '../../components/Form/Form.module.css';

/** Deny a claim with one of the reasons and a note. */
export function DenyForm({ claimId, onDone }: { claimId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [reason, setReason] = useState<DenialReason>('incorrect_account_number');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await distributorApi.deny(claimId, reason, note.trim() || undefined);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className={styles.inline} onSubmit={(e) => void submit(e)} noValidate aria-label={t('fb.portal.denyClaim', { id: claimId })}>
      <div className={form.field}>
        <label htmlFor={`${ids}-reason`}>{t('fb.portal.reason')}</label>
        <select id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value as DenialReason)}>
          {DENIAL_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`fb.denialReason.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <div className={form.field}>
        <label htmlFor={`${ids}-note`}>{t('fb.claims.note')}</label>
        <input id={`${ids}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" className="primary">
        {t('fb.portal.deny')}
      </button>
      <ServerError error={error} />
    </form>
  );
}
