import { useTranslation } from 'react-i18next';
import type { DistributorRequestView } from '../../api/client';
import { useFormat } from '../../format';

/** Where a "not listed" request stands, with the platform's note. */
export function RequestStatus({ request }: { request: DistributorRequestView }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <span data-testid={`request-status-${request.id}`}>
      {t(`fb.requestStatus.${request.status}`)}
      {request.statusChangedAt && <span className="muted"> ({f.date(request.statusChangedAt)})</span>}
      {request.statusNote && <> — {request.statusNote}</>}
    </span>
  );
}
