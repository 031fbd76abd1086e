import { useTranslation } from 'react-i18next';
import type { ClaimWithHistory } from '../../api/client';
import { useFormat } from '../../format';

/**
 * A claim's history, oldest first: when, who, the status change, and the note (or, for a denial
 * without one, its reason). The retailer's claim cards and the distributor's claim page show the same.
 */
export function ClaimHistory({ history }: { history: ClaimWithHistory['history'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('fb.claims.when')}</th>
          <th scope="col">{t('fb.claims.who')}</th>
          <th scope="col">{t('fb.claims.change')}</th>
          <th scope="col">{t('fb.claims.note')}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h, i) => (
          <tr key={i}>
            <td>{f.date(h.at)}</td>
            <td>{h.actor}</td>
            <td>{h.from ? `${t(`fb.claimStatus.${h.from}`)} → ${t(`fb.claimStatus.${h.to}`)}` : t(`fb.claimStatus.${h.to}`)}</td>
            <td>{h.note ?? (typeof h.details?.reason === 'string' ? t(`fb.denialReason.${h.details.reason}`) : '')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
