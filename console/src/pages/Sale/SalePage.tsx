import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, type SaleView, type StoredDecision, type User } from '../../api/client';
import { useSale } from '../../api/hooks';
import { Checklist } from '../../components/Checklist/Checklist';
import { Loading } from '../../components/Async/Loading';
import { ServerError } from '../../components/ServerError/ServerError';
import { MerchantContext, useFormat } from '../../format';
import { SaleDecisions } from './SaleDecisions';
import { SaleFrequentBuyerPanel } from './SaleFrequentBuyer';
import { SaleLines } from './SaleLines';
import { SaleNotReceived } from './SaleNotReceived';
import { SalePoints } from './SalePoints';
import { SaleRelated } from './SaleRelated';
import { SaleVersions } from './SaleVersions';
import styles from './Sale.module.css';

/** The points a reversal took back: what the ledger reversed for the sale (the decision's own total is then 0). */
export function reversedPoints(view: Pick<SaleView, 'ledger'>, decision: StoredDecision): number {
  const reversed = -view.ledger.filter((e) => e.kind === 'reverse').reduce((sum, e) => sum + e.points, 0);
  return reversed > 0 ? reversed : Math.abs(decision.points);
}

function Verdict({ view, decision }: { view: SaleView; decision: StoredDecision }) {
  const { t } = useTranslation();
  const f = useFormat();
  const count = decision.status === 'reversed' ? reversedPoints(view, decision) : Math.abs(decision.points);
  return (
    <p className="verdict" data-testid="verdict">
      {t(`sale.verdict_${decision.status}`, { count, date: f.day(decision.availableAt) })}
    </p>
  );
}

/** Reasons that mean the sale was not judged on its merits (open, voided, a return, paused, stale): asking again changes nothing. */
export const NOT_JUDGED = new Set(['SALE_NOT_COMPLETED', 'SALE_VOIDED', 'MERCHANT_PAUSED', 'STALE_VERSION', 'RETURN_REVERSED', 'VOID_REVERSED']);

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
  const { merchantId = '', saleId = '' } = useParams();
  const { data, error, reload } = useSale(merchantId, saleId);
  // A sale never received, and a sale of a merchant one may not see, read the same (nothing tells them apart).
  if (error instanceof ApiError && error.status === 404) return <SaleNotReceived merchantId={merchantId} saleId={saleId} user={user} />;
  if (!data) return <Loading error={error} />;
  return (
    <MerchantContext.Provider value={{ timezone: data.merchant.timezone, series: data.merchant.series }}>
      <SaleAnswerView view={data} user={user} reload={reload} />
    </MerchantContext.Provider>
  );
}

function SaleAnswerView({ view: data, user, reload }: { view: SaleView; user: User; reload: () => void }) {
  const { t } = useTranslation();
  const { merchantId, saleId } = data;
  // Kept as a key so it follows a language switch, with the decision it was about: once a new decision
  // is in force (the re-evaluation credited the sale), the notice has said what it had to say.
  const [notice, setNotice] = useState<{ key: string; count?: number; decisionId: number | null } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [tries, setTries] = useState(0);
  const decision = data.explanation.decision;
  const waiting = notice !== null && notice.decisionId === (decision?.id ?? null);
  // Follow the re-evaluation: read the sale again until a new decision is in force (at most ten times).
  useEffect(() => {
    if (!waiting || tries >= 10) return;
    const timer = setTimeout(() => {
      setTries((n) => n + 1);
      reload();
    }, 1500);
    return () => clearTimeout(timer);
  }, [waiting, tries, data, reload]);
  const names = data.explanation.names;
  const notJudged = [...new Set(decision?.reasons.filter((r) => NOT_JUDGED.has(r.code)).map((r) => r.code) ?? [])];
  const notApplicable = notJudged.map((code) => t(`reasons.${code}`)).join(' ');
  const canAct = user.role !== 'viewer';
  const canRequest = canAct && mayRequestRewards(decision);
  const awaitingButton = decision?.reasons.some((r) => r.code === 'AWAITING_REWARDS_BUTTON') ?? false;
  const act = async (what: () => Promise<unknown>, key: string, count?: number) => {
    setFailure(null);
    try {
      await what();
      setNotice({ key, count, decisionId: decision?.id ?? null });
      setTries(0);
    } catch (e) {
      setFailure(e);
    }
  };
  const customerId = data.current?.customerId ?? decision?.customerId ?? null;
  const customerName = data.explanation.related.customerName;
  return (
    <>
      <h1>{data.receipt ? t('sale.title', { receipt: data.receipt }) : t('sale.titleNoReceipt', { saleId })}</h1>
      <p className={`muted ${styles.meta}`}>
        <span>{data.merchant.name}</span>
        <span>
          {t('find.saleId')} <code>{saleId}</code>
        </span>
        {customerId && (
          <Link to={`/merchants/${encodeURIComponent(merchantId)}/customers/${encodeURIComponent(customerId)}`}>
            {customerName ? t('sale.customerNamed', { name: customerName }) : t('sale.customer', { customerId })}
          </Link>
        )}
        <span data-testid="time-zone">{t('sale.timeZone', { zone: data.merchant.timezone })}</span>
      </p>
      <section className="card" aria-labelledby="why">
        <h2 id="why" className={styles.section}>
          {decision && decision.points > 0 ? t('sale.question', { points: decision.points }) : t('sale.questionNone')}
        </h2>
        {decision ? <Verdict view={data} decision={decision} /> : <p>{t('sale.noDecision')}</p>}
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
        <p role="status">{waiting && t(notice.key, { count: notice.count })}</p>
        <ServerError error={failure} />
        <h3>{t('sale.checklist')}</h3>
        <Checklist items={data.explanation.checklist} whyNotApplicable={notApplicable} lines={data.explanation.lines} />
        <h3>{t('sale.lines')}</h3>
        <SaleLines lines={data.explanation.lines} decision={decision} />
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
