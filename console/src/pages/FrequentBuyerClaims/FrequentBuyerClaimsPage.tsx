import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { useParams } from 'react-router-dom';
import type { User } from '../../api/client';
import { fb } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { DistributorDialog, type EnrollmentTarget } from '../../components/DistributorDialog/DistributorDialog';
import { FrequentBuyerNav } from '../../components/FrequentBuyerNav/FrequentBuyerNav';
import { ClaimCard } from './ClaimCard';

/** Every credit claim of the merchant, with its status and history; denied ones can be corrected and resubmitted. */
export function FrequentBuyerClaimsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { merchantId = '' } = useParams();
  const canEdit = user.role === 'admin';
  const offers = useAsync(() => fb.offers(), []);
  const claims = useAsync(() => fb.claims(merchantId), [merchantId]);
  const [editing, setEditing] = useState<EnrollmentTarget | null>(null);
  if (!offers.data || !claims.data) return <Loading error={offers.error ?? claims.error} />;
  return (
    <>
      <h1>{t('fb.claims.title')}</h1>
      <TimeZoneNote />
      <FrequentBuyerNav merchantId={merchantId} offers={offers.data} />
      {claims.data.length === 0 && <p>{t('fb.claims.none')}</p>}
      {claims.data.map((c) => (
        <ClaimCard
          key={`${c.id}-${c.status}-${c.history.length}`}
          merchantId={merchantId}
          claim={c}
          canEdit={canEdit}
          onChanged={claims.reload}
          onChangeDistributor={() =>
            setEditing({
              offerId: c.offerId,
              offerName: c.offerName,
              shopId: c.shopId,
              locationName: c.locationName ?? c.shopId,
              distributorId: null,
              accountNumber: null,
            })
          }
        />
      ))}
      {editing && (
        <DistributorDialog
          merchantId={merchantId}
          target={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            claims.reload();
          }}
        />
      )}
    </>
  );
}
