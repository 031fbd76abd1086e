import { useTranslation } from 'react-i18next';
import type { LedgerEntry } from '../../api/client';
import { useFormat } from '../../format';
import styles from './Sale.module.css';

/** What the ledger holds for the sale: the points still pending (and when they are released), every entry. */
export function SalePoints({ entries, pending }: { entries: LedgerEntry[]; pending: { points: number; entries: LedgerEntry[] } }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      {pending.entries.length > 0 ? (
        <ul data-testid="sale-pending">
          {pending.entries.map((e) => (
            <li key={e.id} className={styles.pending}>
              {t('sale.pendingUntil', { count: e.points, date: f.day(e.availableAt) })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('sale.noPending')}</p>
      )}
      {entries.length === 0 ? (
        <p className="muted">{t('sale.noEntries')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('sale.ledger')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sale.when')}</th>
                <th scope="col">{t('sale.kind')}</th>
                <th scope="col">{t('sale.points')}</th>
                <th scope="col">{t('sale.state')}</th>
                <th scope="col">{t('sale.available')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{f.date(e.createdAt)}</td>
                  <td>{t(`entry.kind.${e.kind}`)}</td>
                  <td>{e.points}</td>
                  <td>{t(`entry.status.${e.status}`)}</td>
                  <td>{f.day(e.availableAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
