import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fb } from '../../api/client';
import { Loading } from '../Async/Loading';
import { useAsync } from '../Async/useAsync';
import { ServerError } from '../ServerError/ServerError';
import styles from './DistributorDialog.module.css';
import form from '../Form/Form.module.css';

export interface EnrollmentTarget {
  offerId: number;
  offerName: string;
  shopId: string;
  locationName: string;
  distributorId: number | null;
  accountNumber: string | null;
}

/**
 * Choosing a location's distributor for an offer: only the distributors the server says are eligible for
 * the offer and serve the location's region; the account number field when the chosen one requires it.
 * The PUT decides; its refusal is shown beside the field.
 */
export function DistributorDialog({
  merchantId,
  target,
  onClose,
  onSaved,
}: {
  merchantId: string;
  target: EnrollmentTarget;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const eligible = useAsync(() => fb.eligible(merchantId, target.offerId, target.shopId), [merchantId, target.offerId, target.shopId]);
  const [distributorId, setDistributorId] = useState<number | null>(target.distributorId);
  const [accountNumber, setAccountNumber] = useState(target.accountNumber ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const chosen = eligible.data?.distributors.find((d) => d.id === distributorId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (distributorId === null) return;
    setSaving(true);
    setError(null);
    try {
      await fb.enroll(merchantId, target.offerId, target.shopId, { distributorId, ...(accountNumber.trim() ? { accountNumber: accountNumber.trim() } : {}) });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <dialog ref={ref} className={styles.dialog} aria-labelledby={`${ids}-title`} onClose={onClose} data-testid="distributor-dialog">
      {/* noValidate: the server decides what is missing, and says why. */}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={`${ids}-title`}>{t('fb.dialog.title', { location: target.locationName, offer: target.offerName })}</h2>
        <p className={styles.guidance} id={`${ids}-guidance`}>
          {t('fb.dialog.guidance')}
        </p>
        {!eligible.data ? (
          <Loading error={eligible.error} />
        ) : eligible.data.distributors.length === 0 ? (
          <p>{t('fb.dialog.noneEligible', { region: eligible.data.region })}</p>
        ) : (
          <fieldset className={styles.choices} aria-describedby={`${ids}-guidance`}>
            <legend>{t('fb.dialog.distributors', { region: eligible.data.region })}</legend>
            {eligible.data.distributors.map((d) => (
              <label key={d.id} className={styles.choice}>
                <input type="radio" name="distributor" value={d.id} checked={distributorId === d.id} onChange={() => setDistributorId(d.id)} />
                <span>
                  {d.name}
                  {d.requiresAccountNumber && <span className="muted"> — {t('fb.dialog.needsAccount')}</span>}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {chosen?.requiresAccountNumber && (
          <div className={form.field}>
            <label htmlFor={`${ids}-account`}>
              {t('fb.dialog.accountNumber')} <span aria-hidden="true">*</span>
            </label>
            <input
              id={`${ids}-account`}
              type="text"
              aria-required="true"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${ids}-error` : undefined}
              value={accountNumber}
              onChange={(e) => setAccountNumber(e.target.value)}
              autoComplete="off"
            />
          </div>
        )}
        <ServerError error={error} id={`${ids}-error`} />
        <p>
          <Link to={`/merchants/${encodeURIComponent(merchantId)}/frequent-buyer/requests?offerId=${target.offerId}`}>{t('fb.dialog.notListed')}</Link>
        </p>
        <div className={styles.actions}>
          <button type="submit" className="primary" disabled={saving || distributorId === null}>
            {t('fb.dialog.save')}
          </button>
          <button type="button" className={form.secondary} onClick={() => ref.current?.close()}>
            {t('fb.common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
