import { useTranslation } from 'react-i18next';
import type { ChecklistItem } from '../../api/client';
import styles from './StatusBadge.module.css';

const symbol: Record<ChecklistItem['status'], string> = { pass: '✓', fail: '✗', partial: '~', wait: '…', na: '–' };

/** ✓ ✗ ~ ⏳ with the word for screen readers: the answer never rests on colour alone. */
export function StatusBadge({ status }: { status: ChecklistItem['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={`${styles.badge} ${styles[status]}`} data-status={status}>
      <span aria-hidden="true">{symbol[status]}</span>
      <span className="visually-hidden">{t(`check.${status}`)}</span>
    </span>
  );
}
