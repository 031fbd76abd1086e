import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router-dom';
import type { OfferView } from '../../api/client';
import styles from './FrequentBuyerNav.module.css';

/** The frequent-buyer header: the Offers menu (each offer the merchant can join), the grid, claims and requests. */
export function FrequentBuyerNav({ merchantId, offers }: { merchantId: string; offers: OfferView[] }) {
  const { t } = useTranslation();
  const base = `/merchants/${encodeURIComponent(merchantId)}/frequent-buyer`;
  return (
    <nav className={styles.nav} aria-label={t('fb.nav.label')}>
      <details className={styles.menu}>
        <summary>{t('fb.nav.offers')}</summary>
        <ul>
          <li>
            <Link to={base}>{t('fb.nav.allOffers')}</Link>
          </li>
          {offers.map((o) => (
            <li key={o.id}>
              <Link to={`${base}/offers/${o.id}`}>{o.name}</Link>
            </li>
          ))}
        </ul>
      </details>
      <NavLink to={`${base}/enrollments`}>{t('fb.nav.grid')}</NavLink>
      <NavLink to={`${base}/claims`}>{t('fb.nav.claims')}</NavLink>
      <NavLink to={`${base}/requests`}>{t('fb.nav.requests')}</NavLink>
    </nav>
  );
}
