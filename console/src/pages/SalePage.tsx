import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, type StoredDecision, type User } from '../api/client';
import { Checklist } from '../components/Checklist/Checklist';
import { Loading } from '../components/Async/Loading';
import { useAsync } from '../components/Async/useAsync';
import { formatDate, formatDay } from '../format';

/** A reason's sentence from its stored code and data, in the console's language (never the stored English). */
function ReasonText({ code, data }: { code: string; data: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  return <>{t(`reasons.${code}`, { ...data, availableAt: formatDay(data.availableAt as string | undefined, i18n.language) })}</>;
}

function Verdict({ decision }: { decision: StoredDecision }) {
  const { t, i18n } = useTranslation();
  const count = Math.abs(decision.points);
  return <p className="verdict" data-testid="verdict">{t(`sale.verdict_${decision.status}`, { count, date: formatDay(decision.availableAt, i18n.language) })}</p>;
}

/** "Why did (or didn't) this sale earn points?" */
export function SalePage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const { merchantId = '', saleId = '' } = useParams();
  const { data, error, reload } = useAsync(() => api.sale(merchantId, saleId), [merchantId, saleId]);
  const [notice, setNotice] = useState<string | null>(null);
  if (error instanceof ApiError && error.code === 'SALE_NOT_SEEN') {
    return (
      <section className="card">
        <h1>{t('sale.titleNoReceipt', { saleId })}</h1>
        <p>{t('sale.notSeen')}</p>
        <p className="muted">{t('sale.notSeenHelp')}</p>
        <p>
          <Link to={`/merchants/${encodeURIComponent(merchantId)}/operations`}>{t('merchants.operations')}</Link>
        </p>
      </section>
    );
  }
  if (!data) return <Loading error={error} />;
  const decision = data.explanation.decision;
  const notApplicable = decision?.reasons.map((r) => t(`reasons.${r.code}`, r.data)).join(' ') ?? '';
  const canRequest = user.role !== 'viewer' && decision?.reasons.some((r) => r.code === 'AWAITING_REWARDS_BUTTON');
  const request = async () => {
    await api.requestRewards(merchantId, saleId);
    setNotice(t('sale.rewardsRequested'));
    setTimeout(reload, 1500);
  };
  return (
    <>
      <h1>{data.receipt ? t('sale.title', { receipt: data.receipt }) : t('sale.titleNoReceipt', { saleId })}</h1>
      <p className="muted">
        <code>{saleId}</code>
        {data.current?.customerId && (
          <>
            {' · '}
            <Link to={`/merchants/${encodeURIComponent(merchantId)}/customers/${encodeURIComponent(data.current.customerId)}`}>{t('sale.customer', { customerId: data.current.customerId })}</Link>
          </>
        )}
      </p>
      <section className="card" aria-labelledby="why">
        <h2 id="why" style={{ marginTop: 0 }}>
          {decision && decision.points > 0 ? t('sale.question', { points: decision.points }) : t('sale.questionNone')}
        </h2>
        {decision ? <Verdict decision={decision} /> : <p>{t('sale.noDecision')}</p>}
        {canRequest && (
          <p>
            <button className="primary" type="button" onClick={() => void request()}>
              {t('sale.requestRewards')}
            </button>
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
        <h3>{t('sale.checklist')}</h3>
        <Checklist items={data.explanation.checklist} whyNotApplicable={notApplicable} />
      </section>
      <details className="card">
        <summary>{t('sale.details')}</summary>
        <h3>{t('sale.versions')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('sale.version')}</th>
              <th scope="col">{t('sale.when')}</th>
              <th scope="col">{t('sale.from')}</th>
              <th scope="col">{t('sale.state')}</th>
              <th scope="col">{t('sale.lastError')}</th>
            </tr>
          </thead>
          <tbody>
            {data.events.map((e) => (
              <tr key={e.id}>
                <td>{e.version}</td>
                <td>{formatDate(e.receivedAt, i18n.language)}</td>
                <td>{t(`sale.source.${e.source}`)}</td>
                <td>{e.status}</td>
                <td>{e.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>{t('sale.decisions')}</h3>
        {data.decisions.map((d) => (
          <div key={d.id}>
            <p>
              <strong>{t(`status.${d.status}`)}</strong> · {t('sale.version')} {d.saleVersion} · {formatDate(d.evaluatedAt, i18n.language)}
            </p>
            <p className="muted">{t('sale.reasons', { version: d.rulesVersion })}</p>
            <ul>
              {d.reasons.map((r, i) => (
                <li key={i}>
                  <ReasonText code={r.code} data={r.data} />
                </li>
              ))}
            </ul>
          </div>
        ))}
        <h3>{t('sale.ledger')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('sale.kind')}</th>
              <th scope="col">{t('sale.points')}</th>
              <th scope="col">{t('sale.state')}</th>
              <th scope="col">{t('sale.available')}</th>
            </tr>
          </thead>
          <tbody>
            {data.ledger.map((e) => (
              <tr key={e.id}>
                <td>{e.kind}</td>
                <td>{e.points}</td>
                <td>{e.status}</td>
                <td>{formatDay(e.availableAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
