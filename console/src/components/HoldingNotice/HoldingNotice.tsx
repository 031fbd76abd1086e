import { useTranslation } from 'react-i18next';
import type { HoldingView } from '../../api/client';
import { useFormat } from '../../format';
import styles from './HoldingNotice.module.css';

/** Locations a distributor put in Temporary Holding: why, since when, and that their claims wait for a choice. */
export function HoldingNotice({ holding, canEdit, onChoose }: { holding: HoldingView[]; canEdit: boolean; onChoose: (h: HoldingView) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!holding.length) return null;
  return (
    <section className={styles.notice} aria-labelledby="holding-title" data-testid="holding">
      <h2 id="holding-title">{t('fb.holding.title')}</h2>
      <ul>
        {holding.map((h) => (
          <li key={`${h.offerId}/${h.shopId}`}>
            <p>
              <strong>{h.locationName}</strong> — {t('common.labelValue', { label: h.offerName, value: t('fb.holding.since', { date: f.date(h.since) }) })}
            </p>
            <p>{t('fb.holding.why', { reason: h.reason ?? t('fb.holding.noReason') })}</p>
            <p>{t('fb.holding.waiting', { count: h.heldClaims })}</p>
            {canEdit && (
              <button type="button" className="primary" onClick={() => onChoose(h)}>
                {t('fb.holding.choose', { location: h.locationName })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
