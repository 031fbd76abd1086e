import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import styles from './Insights.module.css';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

const DAY_S = 86_400;
const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

/** The y axis' width: its longest label measured in the axis' font, plus the ticks and the gap. */
function yAxisSize(self: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = self.axes[axisIdx]!;
  // Past the second layout pass, keep the size found (uPlot converges by re-asking).
  if (cycleNum > 1) return (axis as { _size?: number })._size ?? 56;
  let size = (axis.ticks?.size ?? 10) + (axis.gap ?? 5);
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  if (longest) {
    self.ctx.font = (axis.font as unknown as string[] | undefined)?.[0] ?? '12px system-ui';
    size += self.ctx.measureText(longest).width / (window.devicePixelRatio || 1);
  }
  return Math.max(40, Math.ceil(size));
}

/**
 * A time chart drawn by uPlot (canvas): one point per bucket, for each series. Selecting a point calls
 * `onPick` with the bucket and the series nearest the pointer, so every point leads to its sales. The
 * canvas is not readable by a screen reader: the table beside it has the same figures, with links.
 */
export function TimeChart({
  days,
  series,
  onPick,
  percent = false,
  label,
  lang,
}: {
  /** The console's language: the axis names months in it. */
  lang: string;
  /** Local days (YYYY-MM-DD) of the buckets. */
  days: string[];
  series: ChartSeries[];
  onPick: (bucket: number, series: number) => void;
  percent?: boolean;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Days as UTC midnights, labelled in UTC: the buckets are already the store's local days.
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    let focused = 1;
    const chart = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 260,
        tzDate: utc,
        legend: { show: false },
        cursor: { focus: { prox: 24 }, drag: { x: false, y: false } },
        focus: { alpha: 0.35 },
        scales: {
          x: { time: true, range: (_u, min, max) => [min - DAY_S / 2, max + DAY_S / 2] },
          y: { range: (_u, _min, max) => [0, percent ? 1 : Math.max(1, max * 1.1)] },
        },
        axes: [
          { values: (_u, ticks) => ticks.map((ts) => new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(ts * 1000)) },
          {
            // As wide as its longest label (uPlot's axis-autosize pattern): "300 000" in French does not fit 56 px.
            size: yAxisSize,
            values: (_u, ticks) =>
              ticks.map((v) => (percent ? new Intl.NumberFormat(lang, { style: 'percent' }).format(v) : new Intl.NumberFormat(lang).format(v))),
          },
        ],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: true, size: 7, fill: s.color } }))],
        hooks: { setSeries: [(_u, i) => void (i !== null && (focused = i))] },
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const click = () => {
      const i = chart.cursor.idx;
      if (i !== null && i !== undefined) pick.current(i, Math.max(0, focused - 1));
    };
    chart.over.addEventListener('click', click);
    chart.over.style.cursor = 'pointer';
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, el.clientWidth), height: 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.over.removeEventListener('click', click);
      chart.destroy();
    };
  }, [days, series, percent, lang]);
  return (
    <figure className={styles.chart}>
      <div ref={box} role="img" aria-label={label} />
      <figcaption className={styles.legend}>
        {series.map((s) => (
          <span key={s.label}>
            <span className={styles.swatch} style={{ background: s.color }} aria-hidden="true" />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
