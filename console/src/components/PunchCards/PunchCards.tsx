import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fb } from '../../api/client';
import { saleName, useFormat } from '../../format';
import { Loading } from '../Async/Loading';
import { useAsync } from '../Async/useAsync';
import styles from './PunchCards.module.css';

/** A customer's frequent-buyer cards: purchases counted, the sales that counted them, and redemptions. */
export function PunchCards({ merchantId, customerId }: { merchantId: string; customerId: string }) {
  const { t } = useTranslation();
  // The customer page's merchant: dates in its time zone, like the rest of the page.
  const f = useFormat();
  const { data, error } = useAsync(() => fb.punchCards(merchantId, customerId), [merchantId, customerId]);
  const sale = (s: { saleId: string | null; receipt: string | null }) =>
    s.saleId ? (
      <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(s.saleId)}`}>
        {saleName(t, { saleId: s.saleId, receipt: s.receipt })}
      </Link>
    ) : (
      '—'
    );
  return (
    <section aria-labelledby="punch-cards" data-testid="punch-cards">
      <h2 id="punch-cards">{t('fb.cards.title')}</h2>
      {!data ? (
        <Loading error={error} />
      ) : data.cards.length === 0 ? (
        <p className="muted">{t('fb.cards.none')}</p>
      ) : (
        data.cards.map((card) => (
          <article key={card.offerId} className={`card ${styles.card}`} aria-labelledby={`card-${card.offerId}`}>
            <h3 id={`card-${card.offerId}`}>{card.offerName}</h3>
            <p className={styles.progress}>
              {t('fb.cards.progress', { bought: card.bought, used: card.used, available: card.available, required: card.purchasesRequired })}
            </p>
            <table>
              <caption className={styles.caption}>{t('fb.cards.purchases')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('fb.cards.when')}</th>
                  <th scope="col">{t('fb.cards.sale')}</th>
                  <th scope="col">{t('fb.cards.location')}</th>
                  <th scope="col">{t('fb.cards.units')}</th>
                  <th scope="col">{t('fb.cards.unitPrice')}</th>
                </tr>
              </thead>
              <tbody>
                {card.purchases.map((p) => (
                  <tr key={`${p.saleId}-${p.soldAt}-${p.units}`}>
                    <td>{f.date(p.soldAt)}</td>
                    <td>{sale(p)}</td>
                    <td>{p.locationName ?? p.shopId ?? '—'}</td>
                    <td>{p.units}</td>
                    <td>{f.money(p.unitPrice)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {card.redemptions.length > 0 && (
              <table>
                <caption className={styles.caption}>{t('fb.cards.redemptions')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('fb.cards.when')}</th>
                    <th scope="col">{t('fb.cards.sale')}</th>
                    <th scope="col">{t('fb.cards.status')}</th>
                    <th scope="col">{t('fb.cards.punchesUsed')}</th>
                    <th scope="col">{t('fb.cards.freeItem')}</th>
                    <th scope="col">{t('fb.cards.claim')}</th>
                  </tr>
                </thead>
                <tbody>
                  {card.redemptions.map((r) => (
                    <tr key={r.id}>
                      <td>{f.date(r.createdAt)}</td>
                      <td>{sale(r)}</td>
                      <td>
                        {t(`fb.redemptionStatus.${r.status}`)}
                        {r.reasonCode && ` — ${t(`fb.redemptionReason.${r.reasonCode}`, { defaultValue: r.reasonCode })}`}
                      </td>
                      <td>{r.punchesUsed}</td>
                      <td>{f.money(r.freeItemPrice)}</td>
                      <td>{r.claimStatus ? t(`fb.claimStatus.${r.claimStatus}`) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
        ))
      )}
    </section>
  );
}
