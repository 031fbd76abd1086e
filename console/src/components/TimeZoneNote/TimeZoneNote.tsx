import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { browserZone, MerchantContext } from '../../format';

/**
 * Names, once on the page, the time zone its times are read in: the merchant's on a page of one merchant
 * (MerchantContext, or `zone` for a page that reads the merchant itself), each row's merchant's when the
 * page mixes merchants (`each`), else the browser's, said to be the browser's. A time without its zone is
 * what made support and the store disagree on a day.
 */
export function TimeZoneNote({ each = false, zone }: { each?: boolean; zone?: string }) {
  const { t } = useTranslation();
  const merchantZone = useContext(MerchantContext)?.timezone;
  const named = zone ?? merchantZone;
  const text = named ? t('sale.timeZone', { zone: named }) : each ? t('zone.each') : t('zone.browser', { zone: browserZone() });
  return (
    <p className="muted" data-testid="time-zone">
      {text}
    </p>
  );
}
