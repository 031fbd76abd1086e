import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { SaleView } from '../../api/client';

/** The original of a return, and the returns of an original: linked both ways. A void is a version of the sale itself. */
export function SaleRelated({ merchantId, view }: { merchantId: string; view: SaleView }) {
  const { t } = useTranslation();
  const { original, returns } = view.explanation.related;
  const voided = view.decisions.some((d) => d.reasons.some((r) => r.code === 'SALE_VOIDED' || r.code === 'VOID_REVERSED'));
  const link = (saleId: string, receipt: string | null) => (
    <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(saleId)}`}>{receipt ? t('sale.title', { receipt }) : saleId}</Link>
  );
  if (!original && !returns.length && !voided) return <p>{t('sale.noRelated')}</p>;
  return (
    <ul data-testid="sale-related">
      {original && (
        <li>
          {t('sale.returnOf')} {link(original.saleId, original.receipt)}
        </li>
      )}
      {returns.map((r) => (
        <li key={r.saleId}>
          {t('sale.returnedBy')} {link(r.saleId, r.receipt)} ({t('common.points', { count: r.points })})
        </li>
      ))}
      {voided && <li>{t('sale.voided')}</li>}
    </ul>
  );
}
