import { useTranslation } from 'react-i18next';
import type { SaleEvent, SaleView, User } from '../../api/client';
import { useFormat } from '../../format';

/**
 * Every version of the sale we received, when and from where (webhook, poll, backfill), and a request of
 * rewards (the POS button or a person) as a row of its own kind; an event not done yet can be replayed by
 * support and admins. Each column holds one kind of thing.
 */
export function SaleVersions({ view, user, onReplay }: { view: SaleView; user: User; onReplay: (eventId: number) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const canReplay = user.role !== 'viewer';
  const columns = canReplay ? 6 : 5;
  // R-Series numbers a version by its update time (epoch milliseconds): a person reads it as a time.
  const version = (e: SaleEvent) => (view.merchant.series === 'r' ? t('sale.updatedAt', { date: f.date(new Date(e.version)) }) : String(e.version));
  const rows = [
    ...view.events.map((e) => ({ key: `e${e.id}`, at: e.receivedAt, event: e })),
    ...(view.rewardsRequest ? [{ key: 'button', at: view.rewardsRequest.requestedAt, event: null }] : []),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{t('sale.versions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sale.when')}</th>
            <th scope="col">{t('sale.from')}</th>
            <th scope="col">{view.merchant.series === 'r' ? t('sale.versionR') : t('sale.version')}</th>
            <th scope="col">{t('sale.state')}</th>
            <th scope="col">{t('sale.lastError')}</th>
            {canReplay && (
              <th scope="col">
                <span className="visually-hidden">{t('ops.replay')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, at, event }) =>
            event ? (
              <tr key={key} data-testid={`version-${event.version}`}>
                <td>{f.date(at)}</td>
                <td>{t(`sale.source.${event.source}`)}</td>
                <td>{version(event)}</td>
                <td>
                  {t(`sale.eventStatus.${event.status}`, { defaultValue: event.status })}
                  {event.payloadDroppedAt && <small className="muted"> · {t('sale.payloadDropped', { date: f.date(event.payloadDroppedAt) })}</small>}
                </td>
                <td>{event.lastError ?? '—'}</td>
                {canReplay && (
                  <td>
                    {!event.processedAt && (
                      <button type="button" onClick={() => onReplay(event.id)} aria-label={t('sale.replayVersion', { version: version(event) })}>
                        {t('ops.replay')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ) : (
              <tr key={key} data-testid="version-button">
                <td>{f.date(at)}</td>
                <td colSpan={columns - 1}>
                  {view.rewardsRequest!.requestedBy
                    ? t(`sale.requestedBy_${view.rewardsRequest!.source}`, { by: view.rewardsRequest!.requestedBy })
                    : t(`sale.requested_${view.rewardsRequest!.source}`)}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
