import { useTranslation } from 'react-i18next';
import type { ChecklistItem, SaleLineView } from '../../api/client';
import { useFormat, useSegmentWord } from '../../format';
import { StatusBadge } from '../StatusBadge/StatusBadge';
import styles from './Checklist.module.css';

/** The sentence key of an item: its status, and for some the variant the server named. */
function sentenceKey(item: ChecklistItem): string {
  const variant =
    item.id === 'customer' && item.status === 'fail'
      ? `_${String(item.params.reason ?? 'none')}`
      : item.id === 'rewardsTrigger' && item.status === 'pass'
        ? `_${String(item.params.via)}`
        : '';
  return `checklist.${item.id}.${item.status}${variant}`;
}

/**
 * "Why did (or didn't) it earn?": each cause of the support FAQ, in its order, judged for this sale. A
 * sale not judged on its merits (voided, a return, paused) gets one sentence, not the same one nine times.
 */
export function Checklist({ items, whyNotApplicable, lines = [] }: { items: ChecklistItem[]; whyNotApplicable: string; lines?: SaleLineView[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const segment = useSegmentWord();
  if (items.length && items.every((item) => item.status === 'na'))
    return (
      <p className={styles.none} data-testid="checklist-na">
        {t('checklist.naAll', { why: whyNotApplicable })}
      </p>
    );
  const params = (item: ChecklistItem) => ({
    ...item.params,
    segmentWord: segment,
    availableAt: f.day(item.params.availableAt as string | undefined),
    at: f.date(item.params.at as string | undefined),
    saleDate: f.day(item.params.saleDate as string | undefined),
    startDate: f.day(item.params.startDate as string | undefined),
    base: f.money(item.params.base),
    stepAmount: f.money(item.params.stepAmount),
    share: f.share(item.params.shareBasisPoints),
  });
  const lineOf = new Map(lines.map((l) => [l.lineId, l]));
  const sentence = (item: ChecklistItem) => {
    if (item.status !== 'na') return t(sentenceKey(item), params(item));
    // One item that does not apply to this sale (the delay of a sale that earned nothing) says why itself.
    if (item.params.reason) return t(`checklist.${item.id}.na_${String(item.params.reason)}`);
    return t('checklist.na', { why: whyNotApplicable });
  };
  return (
    <ol className={styles.list}>
      {items.map((item) => (
        <li key={item.id} className={styles.item} data-status={item.status} data-testid={`check-${item.id}`}>
          <StatusBadge status={item.status} />
          <div>
            <p className={styles.title}>{t(`checklist.${item.id}.title`, { segmentWord: segment })}</p>
            <p className={styles.sentence}>{sentence(item)}</p>
            {item.id === 'exemptions' && Array.isArray(item.params.lines) && (
              <ul className={styles.lines}>
                {(item.params.lines as Array<{ lineId: string; rule: 'product' | 'category'; name: string }>).map((exempt) => {
                  const line = lineOf.get(exempt.lineId);
                  return (
                    <li key={`${exempt.lineId}-${exempt.rule}`}>
                      {t(`checklist.exemptions.line_${exempt.rule}`, {
                        name: exempt.name,
                        product: line?.productName ?? (line?.productId ? t('sale.unnamedProduct', { id: line.productId }) : t('sale.unknownProduct')),
                        path: line?.categoryPath ?? '—',
                      })}
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
