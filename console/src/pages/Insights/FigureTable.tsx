import { stringify } from 'csv-stringify/browser/esm/sync';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import styles from './Insights.module.css';

export interface Column<R> {
  label: string;
  /** The figure as the CSV holds it (a plain number or text). */
  value: (row: R) => string | number | null;
  /** The cell as the table shows it (a link to the sales behind it), when not just the value. */
  cell?: (row: R) => ReactNode;
}

/** The figures of a chart as a table (the accessible reading of the chart), with a CSV download of the same rows. */
export function FigureTable<R>({ caption, columns, rows, file }: { caption: string; columns: Column<R>[]; rows: R[]; file: string }) {
  const { t, i18n } = useTranslation();
  const numbers = new Intl.NumberFormat(i18n.language);
  // A bare figure reads in the console's language ("2 700" in French); the CSV keeps the plain number.
  const shown = (c: Column<R>, r: R) => {
    if (c.cell) return c.cell(r);
    const v = c.value(r);
    return typeof v === 'number' ? numbers.format(v) : v;
  };
  const download = () => {
    const csv = stringify([columns.map((c) => c.label), ...rows.map((r) => columns.map((c) => c.value(r) ?? ''))]);
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file;
    a.click();
    URL.revokeObjectURL(url);
  };
  // No rows: say so, rather than a table of bare headers (and no empty CSV to download).
  if (rows.length === 0)
    return (
      <div className={styles.tableBox}>
        <p className={styles.help}>
          {caption}: {t('insights.noRows')}
        </p>
      </div>
    );
  return (
    <div className={styles.tableBox}>
      <button type="button" onClick={download}>
        {t('insights.csv')}
      </button>
      <div className={styles.scroll} tabIndex={0} role="region" aria-label={caption}>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {columns.map((c, k) =>
                  k === 0 ? (
                    <th key={c.label} scope="row">
                      {shown(c, r)}
                    </th>
                  ) : (
                    <td key={c.label}>{shown(c, r)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
