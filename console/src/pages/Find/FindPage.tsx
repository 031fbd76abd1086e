import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatDate, formatNumber } from '../../format';
import { MerchantTable } from '../Merchants/MerchantsPage';

/** One box: a Sale ID, a receipt number, an email, a phone number or a customer's name. */
export function FindPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const inputId = useId();
  const result = useAsync(() => (q ? api.search(q) : Promise.resolve(null)), [q]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) setParams({ q: draft.trim() });
  };
  const found = result.data;
  // Each sale in its merchant's time zone: named once when the sales found share one, else beside each merchant.
  const zones = [...new Set((found?.sales ?? []).map((s) => s.merchantTimezone))];
  return (
    <>
      <h1>{t('find.title')}</h1>
      <form role="search" onSubmit={submit} className="card">
        <label htmlFor={inputId}>{t('find.label')}</label>
        <div style={{ display: 'flex', gap: '0.5rem', marginTop: '0.4rem' }}>
          <input id={inputId} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('find.placeholder')} style={{ flex: 1 }} />
          <button className="primary" type="submit">
            {t('find.submit')}
          </button>
        </div>
      </form>
      {q && !found && <Loading error={result.error} />}
      {found && (
        <section aria-live="polite">
          {!found.sales.length && !found.customers.length && <p>{t('find.nothing', { q })}</p>}
          {found.sales.length > 0 && (
            <>
              <h2>{t('find.sales')}</h2>
              {zones.length === 1 ? <TimeZoneNote zone={zones[0]} /> : <TimeZoneNote each />}
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('find.receipt')}</th>
                    <th scope="col" className="narrow-hide">
                      {t('find.saleId')}
                    </th>
                    <th scope="col">{t('find.name')}</th>
                    <th scope="col">{t('find.merchant')}</th>
                    <th scope="col">{t('find.received')}</th>
                    <th scope="col">{t('find.outcome')}</th>
                  </tr>
                </thead>
                <tbody>
                  {found.sales.map((s) => (
                    <tr key={`${s.merchantId}/${s.saleId}`}>
                      <td>
                        <Link to={`/merchants/${encodeURIComponent(s.merchantId)}/sales/${encodeURIComponent(s.saleId)}`}>{s.receipt ?? '—'}</Link>
                      </td>
                      <td className="narrow-hide">
                        <code>{s.saleId}</code>
                      </td>
                      <td>{s.customerName ?? '—'}</td>
                      <td>
                        {s.merchantName}
                        {zones.length > 1 && <div className="muted">{s.merchantTimezone}</div>}
                      </td>
                      <td>{formatDate(s.receivedAt, i18n.language, s.merchantTimezone)}</td>
                      <td>{s.status ? t(`status.${s.status}`) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {found.customers.length > 0 && (
            <>
              <h2>{t('find.customers')}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('find.name')}</th>
                    <th scope="col">{t('customer.contact')}</th>
                    <th scope="col">{t('find.merchant')}</th>
                    <th scope="col">{t('find.available')}</th>
                    <th scope="col">{t('find.pending')}</th>
                  </tr>
                </thead>
                <tbody>
                  {found.customers.map((c) => (
                    <tr key={`${c.merchantId}/${c.customerId}`}>
                      <td>
                        <Link to={`/merchants/${encodeURIComponent(c.merchantId)}/customers/${encodeURIComponent(c.customerId)}`}>
                          {c.name ?? c.email ?? c.mobile ?? c.customerId}
                        </Link>
                      </td>
                      <td>{[c.email, c.mobile].filter(Boolean).join(' · ') || '—'}</td>
                      <td>{c.merchantName}</td>
                      <td>{formatNumber(c.available, i18n.language)}</td>
                      <td>{formatNumber(c.pending, i18n.language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {!found.sales.length && (
            <>
              {/* A sale never received is not found: the merchants' last webhook and poll tell whether sales flow. */}
              <h2>{t('find.merchantsHealth')}</h2>
              <MerchantTable />
            </>
          )}
        </section>
      )}
    </>
  );
}
