import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import type { User } from '../../api/client';

/** The header's frequent-buyer entry: the merchant's offers, or the platform's setup for platform admins. */
export function FrequentBuyerNavLink({ user }: { user: User }) {
  const { t } = useTranslation();
  if (user.merchantId) return <NavLink to={`/merchants/${encodeURIComponent(user.merchantId)}/frequent-buyer`}>{t('fb.nav.offers')}</NavLink>;
  if (user.role === 'admin') return <NavLink to="/frequent-buyer">{t('fb.nav.setup')}</NavLink>;
  return null;
}

/** A distributor's person sees the portal only: claims, batches, enrollments. */
export function DistributorNav({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <nav className={className} aria-label={t('fb.portal.nav')}>
      <NavLink to="/distributor" end>
        {t('fb.portal.claims')}
      </NavLink>
      <NavLink to="/distributor/batches">{t('fb.portal.batches')}</NavLink>
      <NavLink to="/distributor/enrollments">{t('fb.portal.enrollments')}</NavLink>
    </nav>
  );
}
