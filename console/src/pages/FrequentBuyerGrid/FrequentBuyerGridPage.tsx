import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { type User } from '../../api/client';
import { fb, type GridCell, type HoldingView } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { DistributorDialog, type EnrollmentTarget } from '../../components/DistributorDialog/DistributorDialog';
import { FrequentBuyerNav } from '../../components/FrequentBuyerNav/FrequentBuyerNav';
import { HoldingNotice } from '../../components/HoldingNotice/HoldingNotice';
import { LocationFilter } from '../../components/LocationFilter/LocationFilter';
import styles from './FrequentBuyerGridPage.module.css';
import form from '../../components/Form/Form.module.css';
import { useMerchant } from '../../api/hooks';

/** Locations × offers: the main account first, then each location (or the one the filter picked); each cell opens the dialog. */
export function FrequentBuyerGridPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { merchantId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const shopId = params.get('location') ?? '';
  const canEdit = user.role === 'admin';
  const merchant = useMerchant(merchantId);
  const offers = useAsync(() => fb.offers(), []);
  const locations = useAsync(() => fb.locations(merchantId), [merchantId]);
  const all = useAsync(() => fb.grid(merchantId), [merchantId]);
  const grid = useAsync(() => fb.grid(merchantId, shopId || undefined), [merchantId, shopId]);
  const holding = useAsync(() => fb.holding(merchantId), [merchantId]);
  const [editing, setEditing] = useState<EnrollmentTarget | null>(null);
  const failed = merchant.error ?? offers.error ?? locations.error ?? grid.error ?? all.error ?? holding.error;
  if (!merchant.data || !offers.data || !locations.data || !grid.data || !all.data || !holding.data) return <Loading error={failed} />;

  const offerList = offers.data;
  const rows = new Map<string, GridCell[]>();
  for (const cell of grid.data) rows.set(cell.shopId, [...(rows.get(cell.shopId) ?? []), cell]);
  const enrolledCount = (offerId: number) => all.data!.filter((c) => c.offerId === offerId && c.distributorId !== null && !c.inHolding).length;
  const open = (c: GridCell | HoldingView, offerName: string) =>
    setEditing({
      offerId: c.offerId,
      offerName,
      shopId: c.shopId,
      locationName: c.locationName,
      distributorId: 'inHolding' in c && !c.inHolding ? c.distributorId : null,
      accountNumber: 'inHolding' in c && !c.inHolding ? c.accountNumber : null,
    });
  const reload = () => {
    setEditing(null);
    grid.reload();
    all.reload();
    holding.reload();
  };

  return (
    <>
      <h1>{t('fb.grid.title')}</h1>
      <FrequentBuyerNav merchantId={merchantId} offers={offerList} />
      <HoldingNotice holding={holding.data} canEdit={canEdit} onChoose={(h) => open(h, h.offerName)} />
      <LocationFilter locations={locations.data} value={shopId} onChange={(id) => setParams(id ? { location: id } : {})} />
      <div className={styles.scroller}>
        <table data-testid="enrollment-grid">
          <thead>
            <tr>
              <th scope="col">{t('fb.grid.locationColumn')}</th>
              {offerList.map((o) => (
                <th scope="col" key={o.id}>
                  {o.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className={styles.main} data-testid="grid-main-account">
              <th scope="row">{t('fb.grid.mainAccount', { name: merchant.data.name })}</th>
              {offerList.map((o) => (
                <td key={o.id}>{t('fb.grid.enrolledOf', { count: enrolledCount(o.id), total: locations.data!.length })}</td>
              ))}
            </tr>
            {[...rows.entries()].map(([id, cells]) => (
              <tr key={id} data-testid="grid-location">
                <th scope="row">
                  {cells[0]!.locationName} <span className="muted">({cells[0]!.region})</span>
                </th>
                {offerList.map((o) => {
                  const c = cells.find((x) => x.offerId === o.id);
                  if (!c) return <td key={o.id}>—</td>;
                  const name = c.inHolding ? t('fb.grid.holding') : (c.distributorName ?? t('fb.grid.notEnrolled'));
                  return (
                    <td key={o.id} className={c.inHolding ? styles.held : undefined}>
                      {canEdit ? (
                        <button
                          type="button"
                          className={form.secondary}
                          onClick={() => open(c, o.name)}
                          aria-label={t('fb.offer.change', { location: c.locationName, distributor: `${o.name}: ${name}` })}
                        >
                          {name}
                        </button>
                      ) : (
                        <span>{name}</span>
                      )}
                      {c.accountNumber && <div className="muted">{t('fb.grid.account', { number: c.accountNumber })}</div>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && <DistributorDialog merchantId={merchantId} target={editing} onClose={() => setEditing(null)} onSaved={reload} />}
    </>
  );
}
