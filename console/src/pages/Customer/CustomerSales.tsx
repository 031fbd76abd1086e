import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type CustomerSale } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { formatDate } from '../../format';
import styles from './Customer.module.css';

/** The customer's sales that the ledger holds, newest first, with what each earned. */
export function CustomerSales({ merchantId, customerId }: { merchantId: string; customerId: string }) {
  const { t, i18n } = useTranslation();
  const [sales, setSales] = useState<CustomerSale[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const load = (offset = 0) =>
    api.customerSales(merchantId, customerId, offset).then(
      (page) => {
        setSales((shown) => (offset ? [...(shown ?? []), ...page.sales] : page.sales));
        setNext(page.next);
      },
      (e: Error) => setError(e),
    );
  useEffect(() => {
    void load();
  }, [merchantId, customerId]);
  if (!sales) return <Loading error={error} />;
  if (!sales.length) return <p>{t('customer.noSales')}</p>;
  return (
    <>
      <table>
        <caption className="visually-hidden">{t('customer.sales')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('find.receipt')}</th>
            <th scope="col">{t('sale.when')}</th>
            <th scope="col">{t('find.outcome')}</th>
            <th scope="col">{t('sale.points')}</th>
          </tr>
        </thead>
        <tbody>
          {sales.map((s) => (
            <tr key={s.saleId}>
              <td>
                <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(s.saleId)}`}>{s.receipt ?? s.saleId}</Link>
              </td>
              <td>{formatDate(s.completedAt, i18n.language)}</td>
              <td>{s.status ? t(`status.${s.status}`) : '—'}</td>
              <td>{s.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next !== null && (
        <button type="button" className={styles.more} onClick={() => void load(next)}>
          {t('customer.more')}
        </button>
      )}
    </>
  );
}
