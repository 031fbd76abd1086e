import type { ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import { useMerchant } from '../../api/hooks';
import { MerchantContext } from '../../format';
import { Loading } from '../Async/Loading';

/**
 * A page of one merchant's data (the `:merchantId` of the route): its dates read in the merchant's time
 * zone and its words in the merchant's series, as the sale and customer pages do, so that a support agent
 * and the store see the same day.
 */
export function MerchantScope({ children }: { children: ReactNode }) {
  const { merchantId = '' } = useParams();
  const merchant = useMerchant(merchantId);
  if (!merchant.data) return <Loading error={merchant.error} />;
  return (
    <MerchantContext.Provider value={{ timezone: merchant.data.timezone, series: merchant.data.series, name: merchant.data.name }}>
      {children}
    </MerchantContext.Provider>
  );
}
