import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { browserZone, MerchantContext } from '../../format';

/**
 * Names, once on the page, the time zone its times are read in: the merchant's on a page of one merchant
 * (MerchantContext), each row's merchant's when the page mixes merchants (`each`), else the browser's,
 * said to be the browser's. A time without its zone is what made support and the store disagree on a day.
 */
export function TimeZoneNote({ each = false }: { each?: boolean }) {
  const { t } = useTranslation();
  const merchant = useContext(MerchantContext);
  const text = merchant ? t('sale.timeZone', { zone: merchant.timezone }) : each ? t('zone.each') : t('zone.browser', { zone: browserZone() });
  return (
    <p className="muted" data-testid="time-zone">
      {text}
    </p>
  );
}
