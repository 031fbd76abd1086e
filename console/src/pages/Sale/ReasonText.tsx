import { useTranslation } from 'react-i18next';
import type { Names } from '../../api/client';
import { formatDay, formatMoney, formatShare } from '../../format';

/**
 * A reason's sentence from its stored code and data, in the console's language (never the stored English),
 * with names instead of Lightspeed ids where the sale page knows them.
 */
export function ReasonText({ code, data, names }: { code: string; data: Record<string, unknown>; names?: Names }) {
  const { t, i18n } = useTranslation();
  const segment = typeof data.segmentId === 'string' ? names?.segments[data.segmentId] : undefined;
  return (
    <>
      {t(`reasons.${code}`, {
        ...data,
        segmentName: segment ?? data.segmentName ?? data.segmentId,
        availableAt: formatDay(data.availableAt as string | undefined, i18n.language, typeof data.timezone === 'string' ? data.timezone : undefined),
        base: typeof data.base === 'number' ? formatMoney(data.base, i18n.language) : data.base,
        stepAmount: typeof data.stepAmount === 'number' ? formatMoney(data.stepAmount, i18n.language) : data.stepAmount,
        share: formatShare(data.shareBasisPoints, i18n.language),
        reducedBy: formatMoney(data.reducedBy, i18n.language),
      })}
    </>
  );
}
