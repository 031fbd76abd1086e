import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Names, StoredDecision } from '../../api/client';
import { MerchantContext, useFormat } from '../../format';
import { ReasonText } from './ReasonText';
import styles from './Sale.module.css';

/** Each decision stored for the sale, newest first, with the rules version it used (a link to it). */
export function SaleDecisions({ merchantId, decisions, names }: { merchantId: string; decisions: StoredDecision[]; names: Names }) {
  const { t } = useTranslation();
  const f = useFormat();
  // R-Series numbers a version by its update time (epoch milliseconds): read as a time, as under "Versions received".
  const series = useContext(MerchantContext)?.series;
  const version = (v: StoredDecision['saleVersion']) =>
    series === 'r' ? t('sale.updatedAt', { date: f.date(new Date(Number(v))) }) : `${t('sale.version')} ${String(v)}`;
  if (!decisions.length) return <p>{t('sale.noDecision')}</p>;
  return (
    <div>
      {[...decisions].reverse().map((d) => (
        <div key={d.id} className={styles.decision} data-testid={`decision-${d.id}`}>
          <p style={{ margin: 0 }}>
            <strong>{t(`status.${d.status}`)}</strong> ({t('common.points', { count: d.points })}) · {version(d.saleVersion)} · {f.date(d.evaluatedAt)}
            {!d.applied && (
              <>
                {' '}
                · <span className={styles.tag}>{t('sale.note')}</span>
              </>
            )}
          </p>
          <p className="muted" style={{ margin: '0.2rem 0' }}>
            <Link to={`/merchants/${encodeURIComponent(merchantId)}/rules#v${d.rulesVersion}`}>{t('sale.rulesVersion', { version: d.rulesVersion })}</Link>
          </p>
          <ul className={styles.reasons}>
            {d.reasons.map((r, i) => (
              <li key={i}>
                <ReasonText code={r.code} data={r.data} names={names} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
