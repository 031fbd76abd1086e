import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type AlertRow, type User } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { useFormat } from '../../format';
import { formatLocalDay, formatPercent, salesLink } from './links';

/** The merchant's unresolved alerts, in plain words with their evidence; support and admins acknowledge or resolve them. */
export function AlertList({ merchantId, user }: { merchantId: string; user: User }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // The merchant's time zone (App.tsx scopes the Insights routes to the merchant), as the page's days are.
  const f = useFormat();
  const alerts = useAsync(() => api.alerts(merchantId), [merchantId]);
  if (!alerts.data) return <Loading error={alerts.error} />;
  if (!alerts.data.length) return <p>{t('insights.alerts.none')}</p>;
  const act = async (a: AlertRow, action: 'acknowledge' | 'resolve') => {
    await api.changeAlert(merchantId, a.id, action);
    alerts.reload();
  };
  const text = (a: AlertRow) => {
    const e = a.evidence as Record<string, string | number | null | undefined>;
    const pct = (x: unknown) => formatPercent(typeof x === 'number' ? x : null, lang);
    const day = typeof e.day === 'string' ? formatLocalDay(e.day, lang) : '';
    const main = t(`insights.alerts.kinds.${a.kind}`, {
      ...e,
      day,
      rate: pct(e.rate),
      share: pct(e.share),
      baseline: pct(e.baseline),
      // A register or cashier by the name Lightspeed gave it, else its id.
      id: e.name ?? e.id,
      endpoint: e.description ? `${e.description} (${e.host})` : e.host,
      since: typeof (e.failingSince ?? e.disabledAt) === 'string' ? f.date(String(e.failingSince ?? e.disabledAt)) : '',
      causeName: t(`insights.causes.${String(e.cause)}`, { defaultValue: String(e.cause) }),
      dimensionName: t(`insights.alerts.dimension.${String(e.dimension)}`, { defaultValue: String(e.dimension) }),
      defaultValue: a.kind,
    });
    const rules = e.rulesVersion
      ? ` ${t('insights.alerts.CAUSE_RULES', { version: e.rulesVersion, date: f.date(String(e.rulesSavedAt)), by: e.rulesSavedBy })}`
      : '';
    return main + rules;
  };
  const link = (a: AlertRow) => {
    const e = a.evidence as Record<string, string | undefined>;
    if (a.kind === 'CAUSE_SHARE_JUMP' && e.day) return salesLink(merchantId, { from: e.day, to: e.day, cause: e.cause });
    if (a.kind === 'ATTACH_RATE_LOW') return salesLink(merchantId, { period: '7', [`${e.dimension}Id`]: e.id, withCustomer: 'false' });
    if (a.kind === 'WEBHOOKS_STOPPED' || a.kind === 'POLLING_STALLED' || a.kind === 'FAILED_EVENTS' || a.kind === 'REAUTH_NEEDED')
      return `/merchants/${encodeURIComponent(merchantId)}/operations`;
    if (a.kind === 'ENDPOINT_DISABLED') return `/merchants/${encodeURIComponent(merchantId)}/events`;
    return null;
  };
  return (
    <ul>
      {alerts.data.map((a) => (
        <li key={a.id} data-alert={a.kind}>
          <p>
            <strong>{text(a)}</strong>{' '}
            {link(a) && (
              <Link to={link(a)!} aria-label={`${t('insights.alerts.title')}: ${a.kind}`}>
                →
              </Link>
            )}
          </p>
          <p>
            {t('insights.alerts.opened', { date: f.date(a.openedAt) })}
            {a.acknowledgedBy && ` · ${t('insights.alerts.acknowledgedBy', { name: a.acknowledgedBy })}`}{' '}
            {user.role !== 'viewer' && a.status === 'open' && (
              <button type="button" onClick={() => void act(a, 'acknowledge')}>
                {t('insights.alerts.acknowledge')}
              </button>
            )}{' '}
            {user.role !== 'viewer' && (
              <button type="button" onClick={() => void act(a, 'resolve')}>
                {t('insights.alerts.resolve')}
              </button>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
