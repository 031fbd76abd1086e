import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type CustomerEntry } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { Pager } from '../../components/Pager/Pager';
import { usePager } from '../../components/Pager/usePager';
import { useFormat } from '../../format';

/** The customer's ledger, newest first, a page at a time ("Show more" keeps what is already shown). */
export function CustomerHistory({ merchantId, customerId, refresh }: { merchantId: string; customerId: string; refresh: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const {
    items: entries,
    next,
    error,
    more,
  } = usePager<CustomerEntry, number>(
    (before) => api.customerHistory(merchantId, customerId, before).then((page) => ({ items: page.entries, next: page.next })),
    [merchantId, customerId, refresh],
  );
  if (!entries) return <Loading error={error} />;
  if (!entries.length) return <p>{t('customer.noHistory')}</p>;
  return (
    <>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{t('customer.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sale.when')}</th>
              <th scope="col">{t('sale.kind')}</th>
              <th scope="col">{t('sale.points')}</th>
              <th scope="col">{t('sale.state')}</th>
              <th scope="col">{t('sale.available')}</th>
              <th scope="col">{t('customer.note')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid={`entry-${e.id}`}>
                <td>{f.date(e.createdAt)}</td>
                <td>{t(`entry.kind.${e.kind}`)}</td>
                <td>{e.points}</td>
                <td>{t(`entry.status.${e.status}`)}</td>
                <td>{f.day(e.availableAt)}</td>
                <td>
                  {e.saleId ? (
                    <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(e.saleId)}`}>
                      {e.receipt ? t('sale.title', { receipt: e.receipt }) : t('sale.titleNoReceipt', { saleId: e.saleId })}
                    </Link>
                  ) : (
                    [e.note, e.actor].filter(Boolean).join(' — ') || '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager hasMore={next !== null} onMore={() => void more()} />
    </>
  );
}
