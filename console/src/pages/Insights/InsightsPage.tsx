import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DayInput } from '../../components/DayInput/DayInput';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, type InsightsBody, type User } from '../../api/client';
import { AlertList } from './AlertList';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { FigureTable } from './FigureTable';
import styles from './Insights.module.css';
import { earningCauses, formatLocalDay, formatPercent, formatSeconds, palette, placeLabel, salesLink } from './links';
import { TimeChart, type ChartSeries } from './TimeChart';
import { WithheldFigure } from './WithheldFigure';

type Bucket = InsightsBody['earning'][number];
const COMPLETED =
  'CREDITED,PENDING_UNTIL,' +
  'NO_CUSTOMER,CUSTOMER_EXEMPT,CUSTOMER_SEGMENT_EXCLUDED,MISSING_IDENTITY,BEFORE_START_DATE,AWAITING_REWARDS_BUTTON,RETURN_REVERSED,LINE_PRODUCT_EXEMPT,LINE_CATEGORY_EXEMPT,LINE_GIFT_CARD,TENDER_EXCLUDED,BELOW_STEP,NO_ELIGIBLE_AMOUNT';

/** A merchant's Insights: why customers earn or not, over a period, each figure leading to its sales. */
export function InsightsPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { merchantId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const query = useMemo(() => {
    const q: Record<string, string> = { by: params.get('by') === 'week' ? 'week' : 'day' };
    if (params.get('from') && params.get('to')) Object.assign(q, { from: params.get('from')!, to: params.get('to')! });
    else q.period = ['7', '30', '90', '365'].includes(params.get('period') ?? '') ? params.get('period')! : '30';
    return q;
  }, [params]);
  const merchant = useAsync(() => api.merchant(merchantId), [merchantId]);
  const figures = useAsync(() => api.insights(merchantId, query), [merchantId, query]);
  const [from, setFrom] = useState(params.get('from') ?? '');
  const [to, setTo] = useState(params.get('to') ?? '');

  const data = figures.data;
  const days = useMemo(() => data?.earning.map((b) => b.bucket) ?? [], [data]);
  const label = (b: { bucket: string; from: string; to: string }) =>
    b.from === b.to ? formatLocalDay(b.from, lang) : `${formatLocalDay(b.from, lang)} – ${formatLocalDay(b.to, lang)}`;
  const link = (b: { from: string; to: string }, filter: Record<string, string | undefined>) => salesLink(merchantId, { from: b.from, to: b.to, ...filter });
  const cause = (c: string) => t(`insights.causes.${c}`, { defaultValue: c });

  const earningSeries = useMemo<ChartSeries[]>(
    () => (data ? [{ label: t('insights.earning.rate'), values: data.earning.map((b) => b.earningRate), color: palette[0]! }] : []),
    [data, t],
  );
  const whyNotSeries = useMemo<ChartSeries[]>(
    () =>
      data
        ? data.whyNot.causes.map((c, i) => ({ label: cause(c), values: data.whyNot.rows.map((r) => r.causes[c] ?? 0), color: palette[i % palette.length]! }))
        : [],
    [data, t],
  );
  const pointsSeries = useMemo<ChartSeries[]>(
    () =>
      data
        ? [
            { label: t('insights.points.earned'), values: data.points.rows.map((r) => r.earned), color: palette[0]! },
            { label: t('insights.points.released'), values: data.points.rows.map((r) => r.released), color: palette[2]! },
            { label: t('insights.points.reversed'), values: data.points.rows.map((r) => -r.reversed), color: palette[1]! },
            { label: t('insights.points.outstanding'), values: data.points.rows.map((r) => r.outstanding), color: palette[6]! },
          ]
        : [],
    [data, t],
  );
  const intakeSeries = useMemo<ChartSeries[]>(
    () =>
      data
        ? [
            { label: t('insights.intake.webhook'), values: data.intake.rows.map((r) => r.webhook), color: palette[0]! },
            { label: t('insights.intake.poll'), values: data.intake.rows.map((r) => r.poll), color: palette[1]! },
          ]
        : [],
    [data, t],
  );

  if (!merchant.data || !data) return <Loading error={merchant.error ?? figures.error} />;
  const sources = ['webhook', 'poll'] as const;
  return (
    <>
      <h1>{t('insights.title', { name: merchant.data.name })}</h1>
      <p>{t('insights.timezone', { timezone: data.timezone })}</p>
      <form
        className={styles.controls}
        aria-label={t('insights.period')}
        onSubmit={(e) => {
          e.preventDefault();
          if (from && to) setParams({ from, to, by: query.by! });
        }}
      >
        <label>
          {t('insights.period')}
          <select value={query.period ?? 'custom'} onChange={(e) => e.target.value !== 'custom' && setParams({ period: e.target.value, by: query.by! })}>
            {['7', '30', '90', '365'].map((n) => (
              <option key={n} value={n}>
                {t('insights.last', { count: Number(n) })}
              </option>
            ))}
            <option value="custom">{t('insights.custom')}</option>
          </select>
        </label>
        <label>
          {t('insights.from')}
          <DayInput value={from} onChange={setFrom} />
        </label>
        <label>
          {t('insights.to')}
          <DayInput value={to} onChange={setTo} />
        </label>
        <button type="submit">{t('insights.apply')}</button>
        <label>
          {t('insights.by')}
          <select value={query.by} onChange={(e) => setParams({ ...Object.fromEntries(params), by: e.target.value })}>
            <option value="day">{t('insights.day')}</option>
            <option value="week">{t('insights.week')}</option>
          </select>
        </label>
      </form>

      <section className={styles.section} aria-labelledby="alerts">
        <h2 id="alerts">{t('insights.alerts.title')}</h2>
        <AlertList merchantId={merchantId} user={user} />
      </section>

      <section className={styles.section} aria-labelledby="earning">
        <h2 id="earning">{t('insights.earning.title')}</h2>
        <p className={styles.help}>
          {t('insights.earning.help')} {t('insights.chartHint')}
        </p>
        <div className={styles.grid}>
          <TimeChart
            lang={lang}
            label={t('insights.earning.title')}
            days={days}
            series={earningSeries}
            percent
            onPick={(i) => navigate(link(data.earning[i]!, { cause: earningCauses }))}
          />
          <FigureTable<Bucket>
            caption={t('insights.earning.title')}
            file={`earning-${merchantId}.csv`}
            rows={[...data.earning].reverse()}
            columns={[
              { label: t('insights.bucket'), value: (b) => b.from, cell: label },
              {
                label: t('insights.earning.completed'),
                value: (b) => b.completed,
                cell: (b) => <Link to={link(b, { cause: COMPLETED })}>{new Intl.NumberFormat(lang).format(b.completed)}</Link>,
              },
              {
                label: t('insights.earning.credited'),
                value: (b) => b.credited,
                cell: (b) => <Link to={link(b, { cause: 'CREDITED' })}>{new Intl.NumberFormat(lang).format(b.credited)}</Link>,
              },
              {
                label: t('insights.earning.pending'),
                value: (b) => b.pending,
                cell: (b) => <Link to={link(b, { cause: 'PENDING_UNTIL' })}>{new Intl.NumberFormat(lang).format(b.pending)}</Link>,
              },
              { label: t('insights.earning.rate'), value: (b) => b.earningRate, cell: (b) => formatPercent(b.earningRate, lang) },
            ]}
          />
        </div>
      </section>

      <section className={styles.section} aria-labelledby="whynot">
        <h2 id="whynot">{t('insights.whyNot.title')}</h2>
        <p className={styles.help}>{t('insights.whyNot.help')}</p>
        {!data.whyNot.causes.length ? (
          <p>{t('insights.whyNot.none')}</p>
        ) : (
          <div className={styles.grid}>
            <TimeChart
              lang={lang}
              label={t('insights.whyNot.title')}
              days={days}
              series={whyNotSeries}
              onPick={(i, s) => navigate(link(data.whyNot.rows[i]!, { cause: data.whyNot.causes[s] }))}
            />
            <FigureTable<InsightsBody['whyNot']['rows'][number]>
              caption={t('insights.whyNot.title')}
              file={`why-not-${merchantId}.csv`}
              rows={[...data.whyNot.rows].reverse()}
              columns={[
                { label: t('insights.bucket'), value: (b) => b.from, cell: label },
                ...data.whyNot.causes.map((c) => ({
                  label: cause(c),
                  value: (b: InsightsBody['whyNot']['rows'][number]) => b.causes[c] ?? 0,
                  cell: (b: InsightsBody['whyNot']['rows'][number]) => <Link to={link(b, { cause: c })}>{b.causes[c] ?? 0}</Link>,
                })),
              ]}
            />
          </div>
        )}
      </section>

      <section className={styles.section} aria-labelledby="attach">
        <h2 id="attach">{t('insights.attach.title')}</h2>
        <p className={styles.help}>{t('insights.attach.help')}</p>
        <div className={styles.attach}>
          {(['cashier', 'register', 'outlet'] as const).map((dim) => (
            <FigureTable<InsightsBody['attach']['cashier'][number]>
              key={dim}
              caption={t(`insights.attach.${dim}`)}
              file={`attach-${dim}-${merchantId}.csv`}
              rows={data.attach[dim]}
              columns={[
                {
                  label: t('insights.attach.who'),
                  value: (r) => placeLabel(t, dim, r.id, r.name),
                  cell: (r) => (
                    <Link
                      to={salesLink(merchantId, { from: data.period.from, to: data.period.to, cause: COMPLETED, [`${dim}Id`]: r.id, withCustomer: 'false' })}
                    >
                      {placeLabel(t, dim, r.id, r.name)}
                    </Link>
                  ),
                },
                { label: t('insights.attach.sales'), value: (r) => r.sales, cell: (r) => new Intl.NumberFormat(lang).format(r.sales) },
                { label: t('insights.attach.withCustomer'), value: (r) => r.withCustomer, cell: (r) => new Intl.NumberFormat(lang).format(r.withCustomer) },
                { label: t('insights.attach.rate'), value: (r) => r.attachRate, cell: (r) => formatPercent(r.attachRate, lang) },
              ]}
            />
          ))}
        </div>
      </section>

      <section className={styles.section} aria-labelledby="points">
        <h2 id="points">{t('insights.points.title')}</h2>
        <p className={styles.help}>{t('insights.points.help')}</p>
        <p>
          {t('insights.points.now', {
            total: new Intl.NumberFormat(lang).format(data.points.outstanding.total),
            pending: new Intl.NumberFormat(lang).format(data.points.outstanding.pending),
          })}
        </p>
        <div className={styles.grid}>
          <TimeChart
            lang={lang}
            label={t('insights.points.title')}
            days={days}
            series={pointsSeries}
            onPick={(i) => navigate(link(data.points.rows[i]!, { cause: earningCauses }))}
          />
          <FigureTable<InsightsBody['points']['rows'][number]>
            caption={t('insights.points.title')}
            file={`points-${merchantId}.csv`}
            rows={[...data.points.rows].reverse()}
            columns={[
              { label: t('insights.bucket'), value: (b) => b.from, cell: label },
              {
                label: t('insights.points.earned'),
                value: (b) => b.earned,
                cell: (b) => <Link to={link(b, { cause: earningCauses })}>{new Intl.NumberFormat(lang).format(b.earned)}</Link>,
              },
              { label: t('insights.points.released'), value: (b) => b.released },
              {
                label: t('insights.points.reversed'),
                value: (b) => b.reversed,
                cell: (b) => <Link to={link(b, { cause: 'RETURN,SALE_VOIDED' })}>{new Intl.NumberFormat(lang).format(b.reversed)}</Link>,
              },
              { label: t('insights.points.adjusted'), value: (b) => b.adjusted },
              { label: t('insights.points.outstanding'), value: (b) => b.outstanding },
              { label: t('insights.points.outstandingPending'), value: (b) => b.outstandingPending },
            ]}
          />
        </div>
      </section>

      <section className={styles.section} aria-labelledby="withheld">
        <h2 id="withheld">{t('insights.withheld.title')}</h2>
        <p className={styles.help}>{t('insights.withheld.help')}</p>
        <WithheldFigure merchantId={merchantId} query={query} />
      </section>

      <section className={styles.section} aria-labelledby="intake">
        <h2 id="intake">{t('insights.intake.title')}</h2>
        <p className={styles.help}>{t('insights.intake.help')}</p>
        <p>
          {t('insights.intake.share', { share: formatPercent(data.intake.webhookShare, lang) })}.{' '}
          {data.intake.delay.sales
            ? t('insights.intake.delay', {
                median: formatSeconds(data.intake.delay.medianSecondsAtMost, lang),
                p95: formatSeconds(data.intake.delay.p95SecondsAtMost, lang),
                count: data.intake.delay.sales,
              })
            : t('insights.intake.noDelay')}
        </p>
        <div className={styles.grid}>
          <TimeChart
            lang={lang}
            label={t('insights.intake.title')}
            days={days}
            series={intakeSeries}
            onPick={(i, s) => navigate(link(data.intake.rows[i]!, { cause: COMPLETED, source: sources[s] }))}
          />
          <FigureTable<InsightsBody['intake']['rows'][number]>
            caption={t('insights.intake.title')}
            file={`intake-${merchantId}.csv`}
            rows={[...data.intake.rows].reverse()}
            columns={[
              { label: t('insights.bucket'), value: (b) => b.from, cell: label },
              ...sources.map((s) => ({
                label: t(`insights.intake.${s}`),
                value: (b: InsightsBody['intake']['rows'][number]) => b[s],
                cell: (b: InsightsBody['intake']['rows'][number]) => <Link to={link(b, { cause: COMPLETED, source: s })}>{b[s]}</Link>,
              })),
            ]}
          />
        </div>
      </section>
    </>
  );
}
