import { useTranslation } from 'react-i18next';
import type { Names } from '../../api/client';
import { useFormat, useSegmentWord } from '../../format';

/**
 * A reason's sentence from its stored code and data, in the console's language (never the stored English),
 * with names instead of Lightspeed ids where the sale page knows them, and the series' own words.
 */
export function ReasonText({ code, data, names }: { code: string; data: Record<string, unknown>; names?: Names }) {
  const { t } = useTranslation();
  const f = useFormat();
  const segmentWord = useSegmentWord();
  const segment = typeof data.segmentId === 'string' ? names?.segments[data.segmentId] : undefined;
  return (
    <>
      {t(`reasons.${code}`, {
        ...data,
        segmentWord,
        segmentName: segment ?? data.segmentName ?? data.segmentId,
        availableAt: f.day(data.availableAt as string | undefined),
        saleDate: typeof data.saleDate === 'string' ? f.day(data.saleDate) : data.saleDate,
        startDate: typeof data.startDate === 'string' ? f.day(data.startDate) : data.startDate,
        base: typeof data.base === 'number' ? f.money(data.base) : data.base,
        stepAmount: typeof data.stepAmount === 'number' ? f.money(data.stepAmount) : data.stepAmount,
        share: f.share(data.shareBasisPoints),
        reducedBy: f.money(data.reducedBy),
      })}
    </>
  );
}
