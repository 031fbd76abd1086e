import { useTranslation } from 'react-i18next';
import type { OfferView } from '../../api/client';
import { formatDay } from '../../format';
import styles from './FrequentBuyerOffersPage.module.css';

const code = (p: OfferView['products'][number]) => (p.upc ? `UPC ${p.upc}` : p.ean ? `EAN ${p.ean}` : `SKU ${p.sku ?? ''}`);

/** An offer's terms: dates, qualifying products, the free-item rule, the eligible distributors. */
export function OfferSummary({ offer }: { offer: OfferView }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className={styles.terms}>
      <dt>{t('fb.offer.brand')}</dt>
      <dd>
        {offer.brand} ({offer.manufacturer})
      </dd>
      <dt>{t('fb.offer.dates')}</dt>
      <dd>
        {offer.endsOn
          ? t('fb.offer.between', { from: formatDay(offer.startsOn, i18n.language), to: formatDay(offer.endsOn, i18n.language) })
          : t('fb.offer.from', { from: formatDay(offer.startsOn, i18n.language) })}
      </dd>
      <dt>{t('fb.offer.rule')}</dt>
      <dd>
        {t('fb.offer.buyN', { count: offer.purchasesRequired })} {t(`fb.freeItemRule.${offer.freeItemRule}`)}
      </dd>
      <dt>{t('fb.offer.products')}</dt>
      <dd>{offer.products.map(code).join(', ')}</dd>
      <dt>{t('fb.offer.distributors')}</dt>
      <dd>{offer.eligibleDistributors.map((d) => `${d.name} (${d.regions.join(', ')})`).join(' · ') || '—'}</dd>
    </dl>
  );
}
