import { useTranslation } from 'react-i18next';
import type { DistributorRequestView } from '../../api/frequentBuyer';
import { formatDate } from '../../format';

/** Where a "not listed" request stands, with the platform's note. */
export function RequestStatus({ request, lang }: { request: DistributorRequestView; lang: string }) {
  const { t } = useTranslation();
  return (
    <span data-testid={`request-status-${request.id}`}>
      {t(`fb.requestStatus.${request.status}`)}
      {request.statusChangedAt && <span className="muted"> ({formatDate(request.statusChangedAt, lang)})</span>}
      {request.statusNote && <> — {request.statusNote}</>}
    </span>
  );
}
