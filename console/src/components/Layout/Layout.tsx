import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import type { User } from '../../api/client';
import { DistributorNav, FrequentBuyerNavLink } from './FrequentBuyerLinks';
import { LanguageSwitch } from './LanguageSwitch';
import styles from './Layout.module.css';

export function Layout({ user, onSignOut, children }: { user: User | null; onSignOut: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <a className={styles.skip} href="#main">
        {t('app.skip')}
      </a>
      <header className={styles.header}>
        <p className={styles.brand}>{t('app.title')}</p>
        {user?.role === 'distributor' && <DistributorNav className={styles.nav} />}
        {user && user.role !== 'distributor' && (
          <nav className={styles.nav} aria-label={t('app.title')}>
            <NavLink to="/" end>
              {t('nav.find')}
            </NavLink>
            <NavLink to="/merchants" end>
              {t('nav.merchants')}
            </NavLink>
            {user.merchantId && <NavLink to={`/merchants/${encodeURIComponent(user.merchantId)}/rules`}>{t('nav.rules')}</NavLink>}
            {user.merchantId && <NavLink to={`/merchants/${encodeURIComponent(user.merchantId)}/insights`}>{t('insights.nav')}</NavLink>}
            {user.merchantId === null && <NavLink to="/insights">{t('insights.nav')}</NavLink>}
            {user.role === 'admin' && user.merchantId === null && <NavLink to="/people">{t('nav.people')}</NavLink>}
            {user.role === 'admin' && user.merchantId === null && <NavLink to="/events">{t('events.title')}</NavLink>}
            {/* bull-board, behind the same session: platform admins act, other platform staff read. */}
            {user.merchantId === null && <a href="/admin/queues/">{t('nav.queues')}</a>}
            <FrequentBuyerNavLink user={user} />
          </nav>
        )}
        <div className={styles.right}>
          <LanguageSwitch />
          {user && (
            <>
              <span>{t('nav.signedInAs', { name: user.name })}</span>
              {user.role !== 'distributor' && !user.mustChangePassword && <NavLink to="/password">{t('nav.password')}</NavLink>}
              <button type="button" onClick={onSignOut}>
                {t('nav.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
