import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { exemptionLabel, formatLocalDay, placeLabel } from './links';

const FILTERS = ['period', 'from', 'to', 'cause', 'outletId', 'registerId', 'cashierId', 'source', 'withCustomer', 'exemptKind', 'exemptId'] as const;
const PAGE = 50;

/** The sales behind one Insights figure, each linking to its "why" page. */
export function InsightSalesPage() {
  const { t, i18n } = useTranslation();
  const { merchantId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const offset = Number(params.get('offset') ?? 0) || 0;
  const query: Record<string, string> = { limit: String(PAGE), offset: String(offset) };
  for (const k of FILTERS) if (params.get(k)) query[k] = params.get(k)!;
  const list = useAsync(() => api.insightSales(merchantId, query), [merchantId, params.toString()]);
  const causes = params.get('cause')?.split(',') ?? [];
  const exemptKind =
    params.get('exemptKind') === 'product' || params.get('exemptKind') === 'category' ? (params.get('exemptKind') as 'product' | 'category') : null;
  const what = [
    params.get('from') && params.get('to')
      ? params.get('from') === params.get('to')
        ? formatLocalDay(params.get('from')!, i18n.language)
        : `${formatLocalDay(params.get('from')!, i18n.language)} – ${formatLocalDay(params.get('to')!, i18n.language)}`
      : null,
    causes.length === 1 ? t(`insights.causes.${causes[0]}`, { defaultValue: causes[0] }) : null,
    ...(['register', 'cashier', 'outlet'] as const).map((dim) => {
      const id = params.get(`${dim}Id`);
      if (!id) return null;
      const name = list.data?.names[dim][id];
      // A name reads after its kind ("Register Front counter"); the fallback names its kind itself.
      return name ? `${t(`insights.sales.${dim}`)} ${name}` : placeLabel(t, dim, id, null);
    }),
    params.get('source') ? t(`insights.intake.${params.get('source')}`) : null,
    exemptKind && params.get('exemptId')
      ? list.data?.exemptionName
        ? `${t(`insights.withheld.${exemptKind}`)} ${list.data.exemptionName}`
        : exemptionLabel(t, exemptKind, params.get('exemptId')!, null)
      : null,
  ]
    .filter(Boolean)
    .join(', ');
  const page = (n: number) => setParams({ ...Object.fromEntries(params), offset: String(Math.max(0, n)) });
  return (
    <>
      <h1>{t('insights.sales.title', { what: what || t('insights.sales.all') })}</h1>
      <p>
        <Link to={`/merchants/${encodeURIComponent(merchantId)}/insights`}>{t('insights.sales.back')}</Link>
      </p>
      {!list.data ? (
        <Loading error={list.error} />
      ) : !list.data.sales.length ? (
        <p>{t('insights.sales.none')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('insights.sales.sale')}</th>
                <th scope="col">{t('insights.sales.day')}</th>
                <th scope="col">{t('insights.sales.cause')}</th>
                <th scope="col">{t('insights.sales.register')}</th>
                <th scope="col">{t('insights.sales.cashier')}</th>
                <th scope="col">{t('insights.sales.customer')}</th>
                <th scope="col">{t('insights.sales.points')}</th>
                <th scope="col">{t('insights.sales.seenBy')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.sales.map((s) => (
                <tr key={s.saleId}>
                  <td>
                    <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(s.saleId)}`}>{s.saleId}</Link>
                  </td>
                  <td>{formatLocalDay(s.day, i18n.language)}</td>
                  <td>{t(`insights.causes.${s.cause}`, { defaultValue: s.cause })}</td>
                  <td>{s.registerId ? placeLabel(t, 'register', s.registerId, s.registerName) : '—'}</td>
                  <td>{s.cashierId ? placeLabel(t, 'cashier', s.cashierId, s.cashierName) : '—'}</td>
                  <td>{s.hasCustomer ? t('common.yes') : t('common.no')}</td>
                  <td>{s.reversed ? -s.reversed : s.points}</td>
                  <td>{t(`insights.intake.${s.firstSeenBy}`, { defaultValue: s.firstSeenBy })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {offset > 0 && (
              <button type="button" onClick={() => page(offset - PAGE)}>
                {t('insights.sales.prev')}
              </button>
            )}{' '}
            {list.data.more && (
              <button type="button" onClick={() => page(offset + PAGE)}>
                {t('insights.sales.more')}
              </button>
            )}
          </p>
        </>
      )}
    </>
  );
}
