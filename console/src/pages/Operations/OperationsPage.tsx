import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, type User } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { ConnectionPanel } from '../../components/ConnectionPanel/ConnectionPanel';
import { useAsync } from '../../components/Async/useAsync';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatDate, formatNumber, MerchantContext, saleName } from '../../format';
import { BackfillForm } from './BackfillForm';
import { formatLag } from './lag';
import { ReplayMatching } from './ReplayMatching';
import styles from './Operations.module.css';
import { useEvents, useMerchant } from '../../api/hooks';

/** Is the merchant's intake healthy, and what failed (with Replay for support and admins). */
export function OperationsPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const { merchantId = '' } = useParams();
  const merchant = useMerchant(merchantId);
  const health = useAsync(async () => (await api.merchants()).find((m) => m.id === merchantId) ?? null, [merchantId]);
  const failed = useEvents(merchantId, 'failed');
  const [notice, setNotice] = useState<string | null>(null);
  const canReplay = user.role !== 'viewer';
  if (!merchant.data) return <Loading error={merchant.error} />;
  const m = merchant.data;
  const outageText = (o: NonNullable<typeof m.polling>['lastOutage']) =>
    !o
      ? t('ops.outageNone')
      : t(o.endedAt ? 'ops.outageEnded' : 'ops.outageOngoing', {
          from: formatDate(o.startedAt, i18n.language, m.timezone),
          to: o.endedAt ? formatDate(o.endedAt, i18n.language, m.timezone) : '',
          count: o.failures,
          error: o.lastError ?? '',
        });
  const replay = async (eventId?: number, errorContains?: string) => {
    const { replayed } =
      eventId === undefined
        ? await api.replayAll(merchantId, { status: 'failed', ...(errorContains ? { errorContains } : {}) })
        : await api.replay(merchantId, eventId);
    setNotice(t('ops.replayed', { count: replayed }));
    setTimeout(() => {
      failed.reload();
      health.reload();
    }, 1500);
  };
  return (
    // Every time of the page (and of its connection panel and backfill days) in the merchant's time zone.
    <MerchantContext.Provider value={{ timezone: m.timezone, series: m.series, name: m.name }}>
      <h1>{t('ops.title', { name: m.name })}</h1>
      <TimeZoneNote />
      <ConnectionPanel merchantId={merchantId} user={user} />
      <section className="card">
        <dl className={styles.facts}>
          <dt>{t('ops.lastWebhook')}</dt>
          <dd>{health.data?.lastWebhookAt ? formatDate(health.data.lastWebhookAt, i18n.language, m.timezone) : t('merchants.never')}</dd>
          <dt>{t('ops.lastPoll')}</dt>
          <dd>{m.polling?.lastSuccessAt ? formatDate(m.polling.lastSuccessAt, i18n.language, m.timezone) : t('merchants.never')}</dd>
          <dt>{t('ops.cursor')}</dt>
          <dd>{m.polling?.cursor ?? '—'}</dd>
          <dt>{t('ops.pollError')}</dt>
          <dd>{m.polling?.lastError ?? '—'}</dd>
          <dt>{t('ops.lastOutage')}</dt>
          <dd data-testid="last-outage">{outageText(m.polling?.lastOutage ?? null)}</dd>
          <dt>{t('ops.lag')}</dt>
          <dd data-testid="lag">{formatLag(health.data?.oldestOpenAt) ?? t('ops.lagNone')}</dd>
          <dt>{t('ops.waiting')}</dt>
          <dd>{formatNumber(health.data?.waitingEvents, i18n.language)}</dd>
          <dt>{t('ops.paused')}</dt>
          <dd>{m.paused ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('ops.reauth')}</dt>
          <dd>{m.needsReauth ? `${t('common.yes')} — ${m.needsReauthReason ?? ''}` : t('common.no')}</dd>
        </dl>
      </section>
      {user.merchantId === null && (
        <p>
          <a href="/admin/queues/">{t('ops.queues')}</a>
        </p>
      )}
      {user.role === 'admin' && (
        <section className="card" aria-labelledby="backfill">
          <h2 id="backfill" style={{ marginTop: 0 }}>
            {t('ops.backfillTitle')}
          </h2>
          <BackfillForm merchantId={merchantId} />
        </section>
      )}
      <h2>{t('ops.failedEvents')}</h2>
      {notice && <p role="status">{notice}</p>}
      {!failed.data ? (
        <Loading error={failed.error} />
      ) : !failed.data.length ? (
        <p>{t('ops.noFailed')}</p>
      ) : (
        <>
          {canReplay && (
            <>
              <p>
                <button className="primary" type="button" onClick={() => void replay()}>
                  {t('ops.replayAll')}
                </button>
              </p>
              <ReplayMatching onReplay={(text) => void replay(undefined, text)} />
            </>
          )}
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ops.sale')}</th>
                <th scope="col">{t('sale.when')}</th>
                <th scope="col">{t('ops.error')}</th>
                <th scope="col">{t('ops.retryAt')}</th>
                {canReplay && (
                  <th scope="col">
                    <span className="visually-hidden">{t('ops.replay')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {failed.data.map((e) => (
                <tr key={e.id} data-testid={`failed-${e.id}`}>
                  <td>
                    <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(e.saleId)}`}>{saleName(t, e)}</Link>
                  </td>
                  <td>{formatDate(e.receivedAt, i18n.language, m.timezone)}</td>
                  <td>{e.lastError ?? '—'}</td>
                  <td>{formatDate(e.retryAt, i18n.language, m.timezone)}</td>
                  {canReplay && (
                    <td>
                      <button type="button" onClick={() => void replay(e.id)} aria-label={`${t('ops.replay')} ${saleName(t, e)}`}>
                        {t('ops.replay')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </MerchantContext.Provider>
  );
}
