import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { Loading } from '../components/Async/Loading';
import { useAsync } from '../components/Async/useAsync';
import { formatDate, formatDay } from '../format';

export function CustomerPage() {
  const { t, i18n } = useTranslation();
  const { merchantId = '', customerId = '' } = useParams();
  const { data, error } = useAsync(() => api.customer(merchantId, customerId), [merchantId, customerId]);
  if (!data) return <Loading error={error} />;
  return (
    <>
      <h1>{t('customer.title', { customerId: data.email ?? data.customerId })}</h1>
      <section className="card">
        <p className="verdict">
          {t('customer.available')}: <span data-testid="available">{data.available}</span>
        </p>
        <p>
          {t('customer.pending')}: {data.pending}
        </p>
      </section>
      <h2>{t('customer.history')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('sale.when')}</th>
            <th scope="col">{t('customer.sale')}</th>
            <th scope="col">{t('sale.kind')}</th>
            <th scope="col">{t('sale.points')}</th>
            <th scope="col">{t('sale.state')}</th>
            <th scope="col">{t('sale.available')}</th>
          </tr>
        </thead>
        <tbody>
          {data.entries.map((e) => (
            <tr key={e.id}>
              <td>{formatDate(e.createdAt, i18n.language)}</td>
              <td>{e.saleId ? <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(e.saleId)}`}>{e.saleId}</Link> : '—'}</td>
              <td>{e.kind}</td>
              <td>{e.points}</td>
              <td>{e.status}</td>
              <td>{formatDay(e.availableAt, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
