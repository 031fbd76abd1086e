import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Loading } from '../../components/Async/Loading';
import { ConnectStore } from '../../components/ConnectStore/ConnectStore';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatDate, formatNumber } from '../../format';
import { api } from '../../api/client';
import { useAsync } from '../../components/Async/useAsync';
import { useConnections, useMerchants } from '../../api/hooks';

/** Each merchant the person may see, with whether its sales are flowing. */
export function MerchantTable() {
  const { t, i18n } = useTranslation();
  const { data, error } = useMerchants();
  // One list of merchants: the Lightspeed connection is a column of it (the list is refused to some roles: then no column).
  const connections = useConnections();
  const connectionOf = new Map((connections.data ?? []).map((c) => [c.merchantId, c]));
  const alerts = useAsync(() => api.alertCounts(), []);
  const alertsOf = (id: string) => alerts.data?.find((a) => a.merchantId === id);
  if (!data) return <Loading error={error} />;
  return (
    <>
      <TimeZoneNote each />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('merchants.name')}</th>
              <th scope="col">{t('merchants.health')}</th>
              {connections.data && <th scope="col">{t('connect.state')}</th>}
              <th scope="col">{t('merchants.lastWebhook')}</th>
              <th scope="col">{t('merchants.lastPoll')}</th>
              <th scope="col">{t('merchants.failed')}</th>
              <th scope="col">{t('insights.alerts.column')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/merchants/${encodeURIComponent(m.id)}/operations`}>{m.name}</Link> ·{' '}
                  <Link to={`/merchants/${encodeURIComponent(m.id)}/rules`}>{t('nav.rules')}</Link> ·{' '}
                  <Link to={`/merchants/${encodeURIComponent(m.id)}/insights`}>{t('insights.nav')}</Link> ·{' '}
                  <Link to={`/merchants/${encodeURIComponent(m.id)}/events`}>{t('events.title')}</Link>
                  <div className="muted" data-testid={`zone-${m.id}`}>
                    {m.timezone}
                  </div>
                </td>
                <td>
                  {m.needsReauth
                    ? t('merchants.reauth')
                    : m.paused
                      ? t('merchants.paused')
                      : m.failedEvents
                        ? t('merchants.failing', { count: m.failedEvents })
                        : t('merchants.ok')}
                </td>
                {connections.data && (
                  <td data-testid={`connection-${m.id}`}>
                    {(() => {
                      const c = connectionOf.get(m.id);
                      if (!c) return '—';
                      return (
                        <>
                          {t(`connect.status.${c.status}`)}
                          {c.status !== 'connected' && (
                            <>
                              {' '}
                              <a href={c.connectPath}>{c.status === 'not_connected' ? t('connect.connect') : t('connect.reconnect')}</a>
                            </>
                          )}
                        </>
                      );
                    })()}
                  </td>
                )}
                {/* Each merchant's times in its own time zone. */}
                <td>{m.lastWebhookAt ? formatDate(m.lastWebhookAt, i18n.language, m.timezone) : t('merchants.never')}</td>
                <td>{m.lastPollAt ? formatDate(m.lastPollAt, i18n.language, m.timezone) : t('merchants.never')}</td>
                <td>{formatNumber(m.failedEvents, i18n.language)}</td>
                <td>
                  {alertsOf(m.id) ? (
                    <Link to={`/merchants/${encodeURIComponent(m.id)}/insights`}>
                      {t('insights.alerts.count', { count: alertsOf(m.id)!.open + alertsOf(m.id)!.acknowledged })}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function MerchantsPage() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('merchants.title')}</h1>
      <MerchantTable />
      <div className="stack-gap">
        <ConnectStore />
      </div>
    </>
  );
}
