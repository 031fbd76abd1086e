import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { fb } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { FrequentBuyerNav } from '../../components/FrequentBuyerNav/FrequentBuyerNav';
import { OfferSummary } from './OfferSummary';

/** The offers a merchant can join, each with its terms, linking to its Enrollment section. */
export function FrequentBuyerOffersPage() {
  const { t } = useTranslation();
  const { merchantId = '' } = useParams();
  const offers = useAsync(() => fb.offers(), []);
  if (!offers.data) return <Loading error={offers.error} />;
  return (
    <>
      <h1>{t('fb.offers.title')}</h1>
      <FrequentBuyerNav merchantId={merchantId} offers={offers.data} />
      {offers.data.length === 0 && <p>{t('fb.offers.none')}</p>}
      {offers.data.map((o) => (
        <section key={o.id} className="card" aria-labelledby={`offer-${o.id}`}>
          <h2 id={`offer-${o.id}`}>
            <Link to={`/merchants/${encodeURIComponent(merchantId)}/frequent-buyer/offers/${o.id}`}>{o.name}</Link>
          </h2>
          <OfferSummary offer={o} />
        </section>
      ))}
    </>
  );
}
