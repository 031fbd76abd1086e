import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fb, type ClaimWithHistory } from '../../api/client';
import { ClaimHistory } from '../../components/ClaimHistory/ClaimHistory';
import { ServerError } from '../../components/ServerError/ServerError';
import { formatMoney, saleName } from '../../format';
import styles from './FrequentBuyerClaimsPage.module.css';
import form from '../../components/Form/Form.module.css';

const ACCOUNT_REASONS = ['incorrect_account_number', 'missing_account_number'];

/** One claim: where it stands, its history, and for a denied one the reason, the fitting correction and Resubmit. */
export function ClaimCard({
  merchantId,
  claim,
  canEdit,
  onChangeDistributor,
  onChanged,
}: {
  merchantId: string;
  claim: ClaimWithHistory;
  canEdit: boolean;
  onChangeDistributor: () => void;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const [accountNumber, setAccountNumber] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const accountDenial = claim.denialReason !== null && ACCOUNT_REASONS.includes(claim.denialReason);
  const resubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await fb.resubmit(merchantId, claim.id, {
        ...(accountNumber.trim() ? { accountNumber: accountNumber.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <article className={`card ${styles.claim}`} aria-labelledby={`${ids}-title`} data-testid={`claim-${claim.id}`} data-status={claim.status}>
      <h2 id={`${ids}-title`} className={styles.title}>
        {t('fb.claims.claim', { id: claim.id })} <span className={`${styles.status} ${styles[claim.status] ?? ''}`}>{t(`fb.claimStatus.${claim.status}`)}</span>
      </h2>
      <dl className={styles.facts}>
        <dt>{t('fb.claims.offer')}</dt>
        <dd>{claim.offerName}</dd>
        <dt>{t('fb.claims.location')}</dt>
        <dd>{claim.locationName ?? claim.shopId}</dd>
        <dt>{t('fb.claims.distributor')}</dt>
        {/* A held claim's distributor is the platform's Temporary Holding record: its name in the page's language. */}
        <dd>{claim.status === 'held' ? t('fb.grid.holding') : claim.distributorName}</dd>
        <dt>{t('fb.claims.accountNumber')}</dt>
        <dd>{claim.accountNumber ?? '—'}</dd>
        <dt>{t('fb.claims.value')}</dt>
        <dd>{formatMoney(claim.value, i18n.language)}</dd>
        <dt>{t('fb.claims.sale')}</dt>
        <dd>
          {claim.saleId ? (
            <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(claim.saleId)}`}>
              {saleName(t, { saleId: claim.saleId, receipt: claim.receipt })}
            </Link>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      {claim.status === 'held' && <p className={styles.held}>{t('fb.claims.heldExplained')}</p>}
      {claim.status === 'denied' && claim.denialReason && (
        <div className={styles.denied}>
          <p>
            <strong>{t('fb.claims.deniedBecause', { reason: t(`fb.denialReason.${claim.denialReason}`) })}</strong>
            {claim.denialNote && <> — “{claim.denialNote}”</>}
          </p>
          <p>{t(accountDenial ? 'fb.claims.fixAccount' : claim.denialReason === 'not_a_customer' ? 'fb.claims.fixDistributor' : 'fb.claims.fixOther')}</p>
          {canEdit && (
            <form onSubmit={(e) => void resubmit(e)} noValidate className={styles.correction}>
              {accountDenial && (
                <div className={form.field}>
                  <label htmlFor={`${ids}-account`}>{t('fb.claims.correctedAccount')}</label>
                  <input
                    id={`${ids}-account`}
                    type="text"
                    value={accountNumber}
                    onChange={(e) => setAccountNumber(e.target.value)}
                    aria-describedby={error ? `${ids}-error` : undefined}
                    aria-invalid={error ? true : undefined}
                  />
                </div>
              )}
              {claim.denialReason === 'not_a_customer' && (
                <button type="button" className={form.secondary} onClick={onChangeDistributor}>
                  {t('fb.claims.chooseDistributor')}
                </button>
              )}
              <div className={form.field}>
                <label htmlFor={`${ids}-note`}>{t('fb.claims.note')}</label>
                <input id={`${ids}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)} />
              </div>
              <ServerError error={error} id={`${ids}-error`} />
              <div>
                <button type="submit" className="primary">
                  {t('fb.claims.resubmit')}
                </button>
              </div>
            </form>
          )}
        </div>
      )}
      <details>
        <summary>{t('fb.claims.history', { count: claim.history.length })}</summary>
        <ClaimHistory history={claim.history} />
      </details>
    </article>
  );
}
