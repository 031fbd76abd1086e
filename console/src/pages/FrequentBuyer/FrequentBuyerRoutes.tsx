import { Route, Routes } from 'react-router-dom';
import type { User } from '../../api/client';
import { MerchantScope } from '../../components/MerchantScope/MerchantScope';
import { DistributorBatchesPage } from '../Distributor/DistributorBatchesPage';
import { DistributorClaimPage } from '../Distributor/DistributorClaimPage';
import { DistributorClaimsPage } from '../Distributor/DistributorClaimsPage';
import { DistributorEnrollmentsPage } from '../Distributor/DistributorEnrollmentsPage';
import { FrequentBuyerAdminPage } from '../FrequentBuyerAdmin/FrequentBuyerAdminPage';
import { FrequentBuyerClaimsPage } from '../FrequentBuyerClaims/FrequentBuyerClaimsPage';
import { FrequentBuyerGridPage } from '../FrequentBuyerGrid/FrequentBuyerGridPage';
import { FrequentBuyerOfferPage } from '../FrequentBuyerOffer/FrequentBuyerOfferPage';
import { FrequentBuyerOffersPage } from '../FrequentBuyerOffers/FrequentBuyerOffersPage';
import { FrequentBuyerRequestsPage } from '../FrequentBuyerRequests/FrequentBuyerRequestsPage';

/** The retailer's and the platform's frequent-buyer pages, as route elements for the console's <Routes> (a merchant's in its time zone). */
export function frequentBuyerRoutes({ user }: { user: User }) {
  const base = '/merchants/:merchantId/frequent-buyer';
  return [
    <Route
      key="offers"
      path={base}
      element={
        <MerchantScope>
          <FrequentBuyerOffersPage />
        </MerchantScope>
      }
    />,
    <Route
      key="offer"
      path={`${base}/offers/:offerId`}
      element={
        <MerchantScope>
          <FrequentBuyerOfferPage user={user} />
        </MerchantScope>
      }
    />,
    <Route
      key="grid"
      path={`${base}/enrollments`}
      element={
        <MerchantScope>
          <FrequentBuyerGridPage user={user} />
        </MerchantScope>
      }
    />,
    <Route
      key="claims"
      path={`${base}/claims`}
      element={
        <MerchantScope>
          <FrequentBuyerClaimsPage user={user} />
        </MerchantScope>
      }
    />,
    <Route
      key="requests"
      path={`${base}/requests`}
      element={
        <MerchantScope>
          <FrequentBuyerRequestsPage user={user} />
        </MerchantScope>
      }
    />,
    ...(user.role === 'admin' && user.merchantId === null ? [<Route key="setup" path="/frequent-buyer" element={<FrequentBuyerAdminPage />} />] : []),
  ];
}

/** Everything a distributor's person can open: the portal, nothing of loyalty. */
export function DistributorRoutes() {
  return (
    <Routes>
      <Route path="/distributor/claims/:claimId" element={<DistributorClaimPage />} />
      <Route path="/distributor/batches" element={<DistributorBatchesPage />} />
      <Route path="/distributor/enrollments" element={<DistributorEnrollmentsPage />} />
      <Route path="*" element={<DistributorClaimsPage />} />
    </Routes>
  );
}
