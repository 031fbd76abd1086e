import { useTranslation } from 'react-i18next';
import type { SaleFrequentBuyer } from '../../api/client';
import { formatMoney } from '../../format';

/** The frequent-buyer punches this sale counts and its redemptions (a refused one with its reason). */
export function SaleFrequentBuyerPanel({ fb }: { fb: SaleFrequentBuyer | null }) {
  const { t, i18n } = useTranslation();
  if (!fb || (!fb.punches.length && !fb.redemptions.length)) return <p>{t('sale.fbNone')}</p>;
  return (
    <>
      {fb.punches.length > 0 && (
        <ul data-testid="sale-punches">
          {fb.punches.map((p) => (
            <li key={`${p.lineId}-${p.offerId}`}>{t('sale.fbPunch', { count: p.units, offer: p.offerName })}</li>
          ))}
        </ul>
      )}
      {fb.redemptions.length > 0 && (
        <ul data-testid="sale-redemptions">
          {fb.redemptions.map((r) => (
            <li key={r.id}>
              {t(`sale.fbRedemption.${r.status}`, { value: formatMoney(r.freeItemPrice, i18n.language) })}
              {r.reason && <> — {r.reason}</>}
              {r.claimId !== null && <> · {t('sale.fbClaim', { id: r.claimId, status: t(`sale.fbClaimStatus.${r.claimStatus ?? 'new'}`) })}</>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
