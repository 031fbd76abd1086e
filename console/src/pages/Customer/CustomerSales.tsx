import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type CustomerSale } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { Pager } from '../../components/Pager/Pager';
import { usePager } from '../../components/Pager/usePager';
import { useFormat } from '../../format';

/** The customer's sales that the ledger holds, newest first, with what each earned. */
export function CustomerSales({ merchantId, customerId }: { merchantId: string; customerId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const {
    items: sales,
    next,
    error,
    more,
  } = usePager<CustomerSale, number>(
    (offset) => api.customerSales(merchantId, customerId, offset ?? 0).then((page) => ({ items: page.sales, next: page.next })),
    [merchantId, customerId],
  );
  if (!sales) return <Loading error={error} />;
  if (!sales.length) return <p>{t('customer.noSales')}</p>;
  return (
    <>
      <div className="table-scroll">
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
                <td>{f.date(s.completedAt)}</td>
                <td>{s.status ? t(`status.${s.status}`) : '—'}</td>
                <td>{s.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager hasMore={next !== null} onMore={() => void more()} />
    </>
  );
}
