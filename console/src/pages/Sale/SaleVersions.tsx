import { useTranslation } from 'react-i18next';
import type { SaleView, User } from '../../api/client';
import { formatDate } from '../../format';

/**
 * Every version of the sale we received, when and from where (webhook, poll, backfill), and the rewards
 * button when it was pressed; an event not done yet can be replayed by support and admins.
 */
export function SaleVersions({ view, user, onReplay }: { view: SaleView; user: User; onReplay: (eventId: number) => void }) {
  const { t, i18n } = useTranslation();
  const canReplay = user.role !== 'viewer';
  const rows = [
    ...view.events.map((e) => ({ key: `e${e.id}`, at: e.receivedAt, event: e })),
    ...(view.rewardsRequest ? [{ key: 'button', at: view.rewardsRequest.requestedAt, event: null }] : []),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <table>
      <caption className="visually-hidden">{t('sale.versions')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sale.when')}</th>
          <th scope="col">{t('sale.from')}</th>
          <th scope="col">{t('sale.version')}</th>
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
              <td>{formatDate(at, i18n.language)}</td>
              <td>{t(`sale.source.${event.source}`)}</td>
              <td>{event.version}</td>
              <td>
                {t(`sale.eventStatus.${event.status}`, { defaultValue: event.status })}
                {event.payloadDroppedAt && (
                  <small className="muted"> · {t('sale.payloadDropped', { date: formatDate(event.payloadDroppedAt, i18n.language) })}</small>
                )}
              </td>
              <td>{event.lastError ?? '—'}</td>
              {canReplay && (
                <td>
                  {!event.processedAt && (
                    <button type="button" onClick={() => onReplay(event.id)} aria-label={t('sale.replayVersion', { version: event.version })}>
                      {t('ops.replay')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ) : (
            <tr key={key} data-testid="version-button">
              <td>{formatDate(at, i18n.language)}</td>
              <td>{t(`sale.source.button_${view.rewardsRequest!.source}`)}</td>
              <td>—</td>
              <td>{view.rewardsRequest!.requestedBy ?? '—'}</td>
              <td>—</td>
              {canReplay && <td />}
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
