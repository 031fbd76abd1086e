import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { User } from '../../api/client';
import { fb, type GridCell, type HoldingView } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { DistributorDialog, type EnrollmentTarget } from '../../components/DistributorDialog/DistributorDialog';
import { FrequentBuyerNav } from '../../components/FrequentBuyerNav/FrequentBuyerNav';
import { HoldingNotice } from '../../components/HoldingNotice/HoldingNotice';
import { OfferSummary } from '../FrequentBuyerOffers/OfferSummary';
import styles from './FrequentBuyerOfferPage.module.css';
import form from '../../components/Form/Form.module.css';

const target = (c: GridCell | HoldingView, offerName: string): EnrollmentTarget => ({
  offerId: c.offerId,
  offerName,
  shopId: c.shopId,
  locationName: c.locationName,
  distributorId: 'inHolding' in c && !c.inHolding ? c.distributorId : null,
  accountNumber: 'inHolding' in c && !c.inHolding ? c.accountNumber : null,
});

/** One offer: its terms, then its Enrollment section: per location, under "Fulfillment", the distributor and account number. */
export function FrequentBuyerOfferPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { merchantId = '', offerId = '' } = useParams();
  const canEdit = user.role === 'admin';
  const offers = useAsync(() => fb.offers(), []);
  const grid = useAsync(() => fb.grid(merchantId), [merchantId]);
  const holding = useAsync(() => fb.holding(merchantId), [merchantId]);
  const [editing, setEditing] = useState<EnrollmentTarget | null>(null);
  const offer = offers.data?.find((o) => String(o.id) === offerId);
  if (!offers.data || !grid.data || !holding.data) return <Loading error={offers.error ?? grid.error ?? holding.error} />;
  if (!offer) return <Loading error={new Error(t('fb.offer.notFound', { offerId }))} />;
  const cells = grid.data.filter((c) => c.offerId === offer.id);
  return (
    <>
      <h1>{offer.name}</h1>
      <FrequentBuyerNav merchantId={merchantId} offers={offers.data} />
      <section className="card" aria-labelledby="terms">
        <h2 id="terms">{t('fb.offer.terms')}</h2>
        <OfferSummary offer={offer} />
      </section>
      <HoldingNotice holding={holding.data.filter((h) => h.offerId === offer.id)} canEdit={canEdit} onChoose={(h) => setEditing(target(h, offer.name))} />
      <section aria-labelledby="enrollment">
        <h2 id="enrollment">{t('fb.offer.enrollment')}</h2>
        <table className={styles.fulfillment}>
          <caption>{t('fb.offer.fulfillment')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fb.grid.locationColumn')}</th>
              <th scope="col">{t('fb.offer.region')}</th>
              <th scope="col">{t('fb.offer.currentDistributor')}</th>
              <th scope="col">{t('fb.offer.accountNumber')}</th>
            </tr>
          </thead>
          <tbody>
            {cells.map((c) => {
              const name = c.inHolding ? t('fb.grid.holding') : (c.distributorName ?? t('fb.grid.notEnrolled'));
              return (
                <tr key={c.shopId} data-testid={`fulfillment-${c.shopId}`}>
                  <th scope="row">{c.locationName}</th>
                  <td>{c.region}</td>
                  <td>
                    {canEdit ? (
                      <button
                        type="button"
                        className={form.secondary}
                        onClick={() => setEditing(target(c, offer.name))}
                        aria-label={t('fb.offer.change', { location: c.locationName, distributor: name })}
                      >
                        {name}
                      </button>
                    ) : (
                      name
                    )}
                  </td>
                  <td>{c.accountNumber ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {editing && (
        <DistributorDialog
          merchantId={merchantId}
          target={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            grid.reload();
            holding.reload();
          }}
        />
      )}
    </>
  );
}
