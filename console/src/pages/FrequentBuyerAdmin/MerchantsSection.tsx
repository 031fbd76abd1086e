import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { MerchantHealth } from '../../api/client';

/** Platform staff open any merchant's frequent-buyer pages from here. */
export function MerchantsSection({ merchants }: { merchants: MerchantHealth[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="fb-merchants">
      <h2 id="fb-merchants">{t('fb.admin.merchants')}</h2>
      <ul>
        {merchants.map((m) => {
          const base = `/merchants/${encodeURIComponent(m.id)}/frequent-buyer`;
          return (
            <li key={m.id}>
              <strong>{m.name}</strong> — <Link to={base}>{t('fb.nav.offers')}</Link> · <Link to={`${base}/enrollments`}>{t('fb.nav.grid')}</Link> ·{' '}
              <Link to={`${base}/claims`}>{t('fb.nav.claims')}</Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
