import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, type StoredDecision, type User } from '../../api/client';
import { Checklist } from '../../components/Checklist/Checklist';
import { Loading } from '../../components/Async/Loading';
import { formatDay } from '../../format';
import { SaleDecisions } from './SaleDecisions';
import { SaleFrequentBuyerPanel } from './SaleFrequentBuyer';
import { SaleNotReceived } from './SaleNotReceived';
import { SalePoints } from './SalePoints';
import { SaleRelated } from './SaleRelated';
import { SaleVersions } from './SaleVersions';
import styles from './Sale.module.css';
import { useSale } from '../../api/hooks';

function Verdict({ decision }: { decision: StoredDecision }) {
  const { t, i18n } = useTranslation();
  const count = Math.abs(decision.points);
  return (
    <p className="verdict" data-testid="verdict">
      {t(`sale.verdict_${decision.status}`, { count, date: formatDay(decision.availableAt, i18n.language) })}
    </p>
  );
}

/** Reasons that mean the sale was not judged on its merits (open, voided, a return, paused, stale): asking again changes nothing. */
const NOT_JUDGED = new Set(['SALE_NOT_COMPLETED', 'SALE_VOIDED', 'MERCHANT_PAUSED', 'STALE_VERSION', 'RETURN_REVERSED', 'VOID_REVERSED']);

/**
 * Whether to offer "Request rewards": a completed sale that earned nothing, whatever the cause (the
 * button not pressed, autorewards off, a customer type or category excluded, a start date since moved...).
 * The request records the button press and evaluates the sale again with the rules and data of now; the
 * server and the rules engine decide what it earns, so this only hides the button where it cannot help.
 */
export function mayRequestRewards(decision: StoredDecision | null | undefined): boolean {
  if (!decision || decision.returnFor) return false;
  if (decision.reasons.some((r) => NOT_JUDGED.has(r.code))) return false;
  return decision.status === 'none' && decision.points <= 0;
}

/** "Why did (or didn't) this sale earn points?": the checklist, then where every version came from and what it did. */
export function SalePage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { merchantId = '', saleId = '' } = useParams();
  const { data, error, reload } = useSale(merchantId, saleId);
  // Kept as a key so it follows a language switch.
  const [notice, setNotice] = useState<{ key: string; count?: number } | { text: string } | null>(null);
  if (error instanceof ApiError && error.code === 'SALE_NOT_SEEN') return <SaleNotReceived merchantId={merchantId} saleId={saleId} user={user} />;
  if (!data) return <Loading error={error} />;
  const decision = data.explanation.decision;
  const names = data.explanation.names;
  const notApplicable = decision?.reasons.map((r) => t(`reasons.${r.code}`, r.data)).join(' ') ?? '';
  const canAct = user.role !== 'viewer';
  const canRequest = canAct && mayRequestRewards(decision);
  const awaitingButton = decision?.reasons.some((r) => r.code === 'AWAITING_REWARDS_BUTTON') ?? false;
  const act = async (what: () => Promise<unknown>, key: string, count?: number) => {
    try {
      await what();
      setNotice({ key, count });
      setTimeout(reload, 1500);
    } catch (e) {
      setNotice({ text: e instanceof ApiError ? e.message : String(e) });
    }
  };
  const customerId = data.current?.customerId ?? decision?.customerId ?? null;
  const customerName = data.explanation.related.customerName;
  return (
    <>
      <h1>{data.receipt ? t('sale.title', { receipt: data.receipt }) : t('sale.titleNoReceipt', { saleId })}</h1>
      <p className={`muted ${styles.meta}`}>
        <span>
          {t('find.saleId')} <code>{saleId}</code>
        </span>
        {customerId && (
          <Link to={`/merchants/${encodeURIComponent(merchantId)}/customers/${encodeURIComponent(customerId)}`}>
            {customerName ? t('sale.customerNamed', { name: customerName }) : t('sale.customer', { customerId })}
          </Link>
        )}
      </p>
      <section className="card" aria-labelledby="why">
        <h2 id="why" className={styles.section}>
          {decision && decision.points > 0 ? t('sale.question', { points: decision.points }) : t('sale.questionNone')}
        </h2>
        {decision ? <Verdict decision={decision} /> : <p>{t('sale.noDecision')}</p>}
        {canRequest && (
          <p>
            <button
              className="primary"
              type="button"
              aria-describedby="request-rewards-help"
              onClick={() => void act(() => api.requestRewards(merchantId, saleId), 'sale.rewardsRequested')}
            >
              {t('sale.requestRewards')}
            </button>{' '}
            <span id="request-rewards-help" className="muted">
              {t(awaitingButton && !data.rewardsRequest ? 'sale.requestRewardsButtonHelp' : 'sale.requestRewardsAgainHelp')}
            </span>
          </p>
        )}
        <p role="status">{notice && ('key' in notice ? t(notice.key, { count: notice.count }) : notice.text)}</p>
        <h3>{t('sale.checklist')}</h3>
        <Checklist items={data.explanation.checklist} whyNotApplicable={notApplicable} />
      </section>
      <div className={styles.grid}>
        <section className="card" aria-labelledby="points">
          <h2 id="points" className={styles.section}>
            {t('sale.ledger')}
          </h2>
          <SalePoints entries={data.ledger} pending={data.pending} />
        </section>
        <section className="card" aria-labelledby="related">
          <h2 id="related" className={styles.section}>
            {t('sale.related')}
          </h2>
          <SaleRelated merchantId={merchantId} view={data} />
          <h2 className={styles.section}>{t('sale.frequentBuyer')}</h2>
          <SaleFrequentBuyerPanel fb={data.frequentBuyer} />
        </section>
      </div>
      <section className="card" aria-labelledby="versions">
        <h2 id="versions" className={styles.section}>
          {t('sale.versions')}
        </h2>
        <SaleVersions view={data} user={user} onReplay={(eventId) => void act(() => api.replay(merchantId, eventId), 'ops.replayed', 1)} />
      </section>
      <section className="card" aria-labelledby="decisions">
        <h2 id="decisions" className={styles.section}>
          {t('sale.decisions')}
        </h2>
        <SaleDecisions merchantId={merchantId} decisions={data.decisions} names={names} />
      </section>
    </>
  );
}
