import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type WithheldAnswer } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { FigureTable } from './FigureTable';
import styles from './Insights.module.css';
import { exemptionLabel, formatLocalDay, palette, salesLink } from './links';
import { TimeChart, type ChartSeries } from './TimeChart';

type Exemption = WithheldAnswer['exemptions'][number];
type Row = WithheldAnswer['series']['rows'][number];

/**
 * Figure 5, points withheld by exemptions: the products and categories whose exemption kept the most points
 * from customers. The chart draws the first few per bucket; the table beside it has the same figures, and
 * the ranking below lists every exemption of the period; each figure links to the sales behind it.
 */
export function WithheldFigure({ merchantId, query }: { merchantId: string; query: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const navigate = useNavigate();
  const figure = useAsync(() => api.insightsWithheld(merchantId, query), [merchantId, query]);
  const data = figure.data;
  const byKey = useMemo(() => new Map((data?.exemptions ?? []).map((e) => [e.key, e])), [data]);
  const name = (e: Exemption) => exemptionLabel(t, e.kind, e.id, e.name);
  const series = useMemo<ChartSeries[]>(
    () =>
      data
        ? data.series.keys.map((k, i) => ({
            label: name(byKey.get(k)!),
            values: data.series.rows.map((r) => r.points[k] ?? 0),
            color: palette[i % palette.length]!,
          }))
        : [],
    [data, byKey, t],
  );
  if (!data) return <Loading error={figure.error} />;
  const number = (n: number) => new Intl.NumberFormat(lang).format(n);
  const link = (e: Exemption, from: string, to: string) => salesLink(merchantId, { from, to, exemptKind: e.kind, exemptId: e.id });
  const label = (b: Row) => (b.from === b.to ? formatLocalDay(b.from, lang) : `${formatLocalDay(b.from, lang)} – ${formatLocalDay(b.to, lang)}`);
  if (!data.exemptions.length) return <p>{t('insights.withheld.none')}</p>;
  return (
    <>
      <p>{t('insights.withheld.total', { points: number(data.total.points) })}</p>
      <div className={styles.grid}>
        <TimeChart
          lang={lang}
          label={t('insights.withheld.title')}
          days={data.series.rows.map((r) => r.bucket)}
          series={series}
          onPick={(i, s) => {
            const row = data.series.rows[i]!;
            navigate(link(byKey.get(data.series.keys[s]!)!, row.from, row.to));
          }}
        />
        <FigureTable<Row>
          caption={t('insights.withheld.title')}
          file={`withheld-by-period-${merchantId}.csv`}
          rows={[...data.series.rows].reverse()}
          columns={[
            { label: t('insights.bucket'), value: (b) => b.from, cell: label },
            ...data.series.keys.map((k) => {
              const e = byKey.get(k)!;
              return {
                label: name(e),
                value: (b: Row) => b.points[k] ?? 0,
                cell: (b: Row) => <Link to={link(e, b.from, b.to)}>{number(b.points[k] ?? 0)}</Link>,
              };
            }),
          ]}
        />
      </div>
      <FigureTable<Exemption>
        caption={t('insights.withheld.ranking')}
        file={`withheld-${merchantId}.csv`}
        rows={data.exemptions}
        columns={[
          { label: t('insights.withheld.exemption'), value: name, cell: (e) => <Link to={link(e, data.period.from, data.period.to)}>{name(e)}</Link> },
          { label: t('insights.withheld.kind'), value: (e) => t(`insights.withheld.${e.kind}`) },
          { label: t('insights.withheld.points'), value: (e) => e.points, cell: (e) => number(e.points) },
          { label: t('insights.withheld.sales'), value: (e) => e.sales, cell: (e) => number(e.sales) },
        ]}
      />
    </>
  );
}
