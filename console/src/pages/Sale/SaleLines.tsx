import { useTranslation } from 'react-i18next';
import type { SaleLineView, StoredDecision } from '../../api/client';
import { useFormat } from '../../format';

/** The sale's lines as support reads them: product, category path, amount, and the points each earned or why none. */
export function SaleLines({ lines, decision }: { lines: SaleLineView[]; decision: StoredDecision | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!lines.length) return <p className="muted">{t('sale.noLines')}</p>;
  const why = (line: SaleLineView) => {
    if (line.exemptBy && line.withheldPoints) return t(`sale.lineWhy.${line.exemptBy}Withheld`, { count: line.withheldPoints });
    if (line.exemptBy) return t(`sale.lineWhy.${line.exemptBy}`);
    if (line.points !== 0) return t('common.points', { count: line.points });
    // Not exempt, yet nothing: the sale as a whole earned nothing (the checklist says why).
    return decision?.status === 'pending' ? t('sale.lineWhy.pending') : t('sale.lineWhy.sale');
  };
  return (
    <div className="table-scroll">
      <table data-testid="sale-lines">
        <caption className="visually-hidden">{t('sale.lines')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sale.product')}</th>
            <th scope="col">{t('sale.category')}</th>
            <th scope="col" className="num">
              {t('sale.amount')}
            </th>
            <th scope="col">{t('sale.pointsOrWhy')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.lineId}>
              <td>
                {line.productName ?? (line.productId ? t('sale.unnamedProduct', { id: line.productId }) : t('sale.noProduct'))}
                {line.quantity !== 1 && <span className="muted"> × {line.quantity}</span>}
              </td>
              <td>{line.categoryPath ?? '—'}</td>
              <td className="num">{f.money(line.net)}</td>
              <td>{why(line)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
