import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api, type User } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { formatDay } from '../../format';
import { AdjustPoints } from './AdjustPoints';
import { CustomerHistory } from './CustomerHistory';
import { CustomerSales } from './CustomerSales';
import { customerExtras } from './extras';
import styles from './Customer.module.css';

/** A customer: available and pending points (with release dates), their sales, the paged history; admins adjust. */
export function CustomerPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const { merchantId = '', customerId = '' } = useParams();
  const [refresh, setRefresh] = useState(0);
  const balance = useAsync(() => api.customer(merchantId, customerId), [merchantId, customerId, refresh]);
  const summary = useAsync(() => api.customerSummary(merchantId, customerId), [merchantId, customerId, refresh]);
  if (!balance.data || !summary.data) return <Loading error={balance.error ?? summary.error} />;
  const c = balance.data;
  const name = summary.data.name ?? c.email ?? c.customerId;
  const onAdjusted = () => setRefresh((n) => n + 1);
  return (
    <>
      <h1>{t('customer.title', { customerId: name })}</h1>
      <p className="muted">
        {[c.email, c.mobile].filter(Boolean).join(' · ')} {(c.email || c.mobile) && '·'} <code>{c.customerId}</code>
      </p>
      <section className="card" aria-labelledby="balances">
        <h2 id="balances" className="visually-hidden">
          {t('customer.available')}
        </h2>
        <div className={styles.balances}>
          <p className={styles.balance}>
            {t('customer.available')}
            <strong data-testid="available">{c.available}</strong>
          </p>
          <p className={styles.balance}>
            {t('customer.pending')}
            <strong data-testid="pending">{c.pending}</strong>
          </p>
        </div>
        <h3>{t('customer.pendingList')}</h3>
        {summary.data.pending.length === 0 ? (
          <p>{t('customer.noPending')}</p>
        ) : (
          <ul data-testid="pending-list">
            {summary.data.pending.map((e) => (
              <li key={e.id}>{t('customer.releaseOn', { count: e.points, date: formatDay(e.availableAt, i18n.language) })}</li>
            ))}
          </ul>
        )}
      </section>
      {user.role === 'admin' && (
        <section className="card" aria-labelledby="adjust">
          <h2 id="adjust" style={{ marginTop: 0 }}>
            {t('customer.adjustTitle')}
          </h2>
          <AdjustPoints merchantId={merchantId} customerId={customerId} onAdjusted={onAdjusted} />
        </section>
      )}
      {customerExtras.map(({ id, Component }) => (
        <Component key={id} merchantId={merchantId} customerId={customerId} />
      ))}
      <h2>{t('customer.sales')}</h2>
      <CustomerSales merchantId={merchantId} customerId={customerId} />
      <h2>{t('customer.history')}</h2>
      <CustomerHistory merchantId={merchantId} customerId={customerId} refresh={refresh} />
    </>
  );
}
