import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { ConnectStore } from '../../components/ConnectStore/ConnectStore';
import { formatDate } from '../../format';
import { useMerchants } from '../../api/hooks';

/** Each merchant the person may see, with whether its sales are flowing. */
export function MerchantTable() {
  const { t, i18n } = useTranslation();
  const { data, error } = useMerchants();
  if (!data) return <Loading error={error} />;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('merchants.name')}</th>
          <th scope="col">{t('merchants.health')}</th>
          <th scope="col">{t('merchants.lastWebhook')}</th>
          <th scope="col">{t('merchants.lastPoll')}</th>
          <th scope="col">{t('merchants.failed')}</th>
        </tr>
      </thead>
      <tbody>
        {data.map((m) => (
          <tr key={m.id}>
            <td>
              <Link to={`/merchants/${encodeURIComponent(m.id)}/operations`}>{m.name}</Link> ·{' '}
              <Link to={`/merchants/${encodeURIComponent(m.id)}/rules`}>{t('nav.rules')}</Link>
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
            <td>{m.lastWebhookAt ? formatDate(m.lastWebhookAt, i18n.language) : t('merchants.never')}</td>
            <td>{m.lastPollAt ? formatDate(m.lastPollAt, i18n.language) : t('merchants.never')}</td>
            <td>{m.failedEvents}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MerchantsPage() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('merchants.title')}</h1>
      <MerchantTable />
      <ConnectStore />
    </>
  );
}
