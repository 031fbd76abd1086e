import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { distributorApi } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { ClaimHistory } from '../../components/ClaimHistory/ClaimHistory';
import { useAsync } from '../../components/Async/useAsync';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatMoney, MerchantContext } from '../../format';

/** One claim of this distributor with its history (another distributor's answers 404). */
export function DistributorClaimPage() {
  const { t, i18n } = useTranslation();
  const { claimId = '' } = useParams();
  const claim = useAsync(() => distributorApi.claim(claimId), [claimId]);
  if (!claim.data) return <Loading error={claim.error} />;
  const c = claim.data;
  return (
    // The claim's dates in its retailer's time zone (the day the store sees).
    <MerchantContext.Provider value={{ timezone: c.merchantTimezone }}>
      <p>
        <Link to="/distributor">{t('common.back')}</Link>
      </p>
      <h1>{t('fb.claims.claim', { id: c.id })}</h1>
      <TimeZoneNote />
      <section className="card">
        <p className="verdict">{t(`fb.claimStatus.${c.status}`)}</p>
        <p>
          {c.merchantName} — {c.locationName ?? c.shopId} · {c.offerName} ·{' '}
          {t('common.labelValue', { label: t('fb.claims.accountNumber'), value: c.accountNumber ?? '—' })} · {formatMoney(c.value, i18n.language)}
        </p>
        {c.denialReason && <p>{t('fb.claims.deniedBecause', { reason: t(`fb.denialReason.${c.denialReason}`) })}</p>}
      </section>
      <h2>{t('fb.claims.history', { count: c.history.length })}</h2>
      <ClaimHistory history={c.history} />
    </MerchantContext.Provider>
  );
}
