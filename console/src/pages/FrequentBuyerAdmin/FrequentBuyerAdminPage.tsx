import { useTranslation } from 'react-i18next';
import { fb } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { DistributorsSection } from './DistributorsSection';
import { MerchantsSection } from './MerchantsSection';
import { OffersSection } from './OffersSection';
import { RequestsSection } from './RequestsSection';
import { useMerchants } from '../../api/hooks';

/** Platform admins: distributors, offers and the "not listed" requests. */
export function FrequentBuyerAdminPage() {
  const { t } = useTranslation();
  const distributors = useAsync(() => fb.distributors(), []);
  const offers = useAsync(() => fb.offers(), []);
  const requests = useAsync(() => fb.allRequests(), []);
  const merchants = useMerchants();
  if (!distributors.data || !offers.data || !requests.data || !merchants.data)
    return <Loading error={distributors.error ?? offers.error ?? requests.error ?? merchants.error} />;
  return (
    <>
      <h1>{t('fb.admin.title')}</h1>
      <DistributorsSection distributors={distributors.data} onChanged={distributors.reload} />
      <OffersSection offers={offers.data} distributors={distributors.data} onChanged={offers.reload} />
      <RequestsSection requests={requests.data} onChanged={requests.reload} />
      <MerchantsSection merchants={merchants.data} />
    </>
  );
}
