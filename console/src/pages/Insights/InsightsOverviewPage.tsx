import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type InsightsOverviewBody } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { FigureTable } from './FigureTable';
import styles from './Insights.module.css';
import { formatPercent, salesLink } from './links';

type Row = InsightsOverviewBody['merchants'][number];

/** Platform staff's overview: each merchant's period figures, worst first, each leading to its Insights. */
export function InsightsOverviewPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [params, setParams] = useSearchParams();
  const period = ['7', '30', '90', '365'].includes(params.get('period') ?? '') ? params.get('period')! : '30';
  const query = useMemo(() => ({ period }), [period]);
  const overview = useAsync(() => api.insightsOverview(query), [query]);
  const data = overview.data;
  if (!data) return <Loading error={overview.error} />;
  const number = (n: number) => new Intl.NumberFormat(lang).format(n);
  const insightsOf = (r: Row) => `/merchants/${encodeURIComponent(r.merchantId)}/insights?period=${period}`;
  return (
    <>
      <h1>{t('insights.overview.title')}</h1>
      <form className={styles.controls} aria-label={t('insights.period')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('insights.period')}
          <select value={period} onChange={(e) => setParams({ period: e.target.value })}>
            {['7', '30', '90', '365'].map((n) => (
              <option key={n} value={n}>
                {t('insights.last', { count: Number(n) })}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p className={styles.help}>{t('insights.overview.help')}</p>
      {data.merchants.length === 0 ? (
        <p>{t('insights.overview.empty')}</p>
      ) : (
        <FigureTable<Row>
          caption={t('insights.overview.title')}
          file={`insights-overview-${period}d.csv`}
          rows={data.merchants}
          columns={[
            { label: t('insights.overview.merchant'), value: (r) => r.name, cell: (r) => <Link to={insightsOf(r)}>{r.name}</Link> },
            { label: t('insights.overview.completed'), value: (r) => r.completed, cell: (r) => number(r.completed) },
            { label: t('insights.overview.earningRate'), value: (r) => r.earningRate, cell: (r) => formatPercent(r.earningRate, lang) },
            { label: t('insights.overview.attachRate'), value: (r) => r.attachRate, cell: (r) => formatPercent(r.attachRate, lang) },
            {
              label: t('insights.overview.topCause'),
              value: (r) => r.topCause?.cause ?? null,
              cell: (r) =>
                r.topCause ? (
                  <Link to={salesLink(r.merchantId, { from: r.from, to: r.to, cause: r.topCause.cause })}>
                    {t('insights.overview.topCauseCount', {
                      cause: t(`insights.causes.${r.topCause.cause}`, { defaultValue: r.topCause.cause }),
                      count: number(r.topCause.sales),
                    })}
                  </Link>
                ) : (
                  '—'
                ),
            },
            {
              label: t('insights.overview.alerts'),
              value: (r) => r.alerts.open + r.alerts.acknowledged,
              cell: (r) => (r.alerts.open + r.alerts.acknowledged ? t('insights.overview.alertCounts', r.alerts) : '—'),
            },
          ]}
        />
      )}
    </>
  );
}
