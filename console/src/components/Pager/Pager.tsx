import { useTranslation } from 'react-i18next';
import styles from './Pager.module.css';

/** The "Show more" control under a paged list; nothing once the last page is shown. */
export function Pager({ hasMore, onMore }: { hasMore: boolean; onMore: () => void }) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <button type="button" className={styles.more} onClick={onMore}>
      {t('customer.more')}
    </button>
  );
}
