import { useTranslation } from 'react-i18next';
import type { ChecklistItem } from '../../api/client';
import { formatDay, formatDate, formatMoney, formatShare } from '../../format';
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

/** "Why did (or didn't) it earn?": each cause of the support FAQ, in its order, judged for this sale. */
export function Checklist({ items, whyNotApplicable }: { items: ChecklistItem[]; whyNotApplicable: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const params = (item: ChecklistItem) => ({
    ...item.params,
    availableAt: formatDay(item.params.availableAt as string | undefined, lang, typeof item.params.timezone === 'string' ? item.params.timezone : undefined),
    at: formatDate(item.params.at as string | undefined, lang),
    base: formatMoney(item.params.base, lang),
    stepAmount: formatMoney(item.params.stepAmount, lang),
    share: formatShare(item.params.shareBasisPoints, lang),
  });
  return (
    <ol className={styles.list}>
      {items.map((item) => (
        <li key={item.id} className={styles.item} data-status={item.status} data-testid={`check-${item.id}`}>
          <StatusBadge status={item.status} />
          <div>
            <p className={styles.title}>{t(`checklist.${item.id}.title`)}</p>
            <p className={styles.sentence}>{item.status === 'na' ? t('checklist.na', { why: whyNotApplicable }) : t(sentenceKey(item), params(item))}</p>
            {item.id === 'exemptions' && Array.isArray(item.params.lines) && (
              <ul className={styles.lines}>
                {(item.params.lines as Array<{ lineId: string; rule: 'product' | 'category'; name: string }>).map((line) => (
                  <li key={`${line.lineId}-${line.rule}`}>{t(`checklist.exemptions.line_${line.rule}`, { name: line.name })}</li>
                ))}
              </ul>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
