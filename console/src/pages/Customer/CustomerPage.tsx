import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { User } from '../../api/client';
import { useCustomer, useCustomerSummary } from '../../api/hooks';
import { Loading } from '../../components/Async/Loading';
import { MerchantContext, useFormat } from '../../format';
import { AdjustPoints } from './AdjustPoints';
import { CustomerHistory } from './CustomerHistory';
import { CustomerSales } from './CustomerSales';
import { customerExtras } from './extras';
import styles from './Customer.module.css';

/** A customer: available and pending points (with release dates), their sales, the paged history; admins adjust. */
export function CustomerPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { merchantId = '', customerId = '' } = useParams();
  const [refresh, setRefresh] = useState(0);
  const balance = useCustomer(merchantId, customerId);
  const summary = useCustomerSummary(merchantId, customerId);
  const { reload: reloadBalance } = balance;
  const { reload: reloadSummary } = summary;
  useEffect(() => {
    if (refresh) {
      reloadBalance();
      reloadSummary();
    }
  }, [refresh, reloadBalance, reloadSummary]);
  if (!balance.data || !summary.data) return <Loading error={balance.error ?? summary.error} />;
  const c = balance.data;
  const name = summary.data.name ?? c.email ?? c.customerId;
  const merchant = summary.data.merchant;
  const onAdjusted = () => setRefresh((n) => n + 1);
  return (
    <MerchantContext.Provider value={{ timezone: merchant.timezone, series: merchant.series }}>
      <h1>{t('customer.title', { customerId: name })}</h1>
      <p className="muted" data-testid="customer-meta">
        {/* Customers of one name at several merchants look alike: the merchant tells them apart. */}
        <span data-testid="customer-merchant">{t('customer.atMerchant', { name: merchant.name })}</span> · {[c.email, c.mobile].filter(Boolean).join(' · ')}{' '}
        {(c.email || c.mobile) && '·'} <code>{c.customerId}</code> · {t('sale.timeZone', { zone: merchant.timezone })}
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
              <li key={e.id}>{t('customer.releaseOn', { count: e.points, date: f.day(e.availableAt) })}</li>
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
    </MerchantContext.Provider>
  );
}
