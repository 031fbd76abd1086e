import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, type Connection, type User } from '../../api/client';
import { Loading } from '../Async/Loading';
import { useFormat } from '../../format';
import styles from './ConnectionPanel.module.css';
import { useConnection } from '../../api/hooks';

const tone: Record<Connection['status'], string> = { connected: 'ok', needs_reauth: 'bad', disconnected: 'off', not_connected: 'off' };

/**
 * The merchant's Lightspeed connection on its Operations page: connected or Reconnect, Connect /
 * Reconnect / Disconnect for admins, and for R-Series the exact POS button URL. What the status means is
 * the server's (GET .../connection); this only shows it.
 */
export function ConnectionPanel({ merchantId, user }: { merchantId: string; user: User }) {
  const { t } = useTranslation();
  // The merchant's time zone, which its Operations page provides and names.
  const f = useFormat();
  const [params] = useSearchParams();
  const connection = useConnection(merchantId);
  const [notice, setNotice] = useState<string | null>(params.get('connected') ? t('connect.connectedNotice') : null);
  const [copied, setCopied] = useState(false);
  if (!connection.data) return <Loading error={connection.error} />;
  const c = connection.data;
  const isAdmin = user.role === 'admin';
  const disconnect = async () => {
    if (!window.confirm(t('connect.confirmDisconnect', { id: merchantId }))) return;
    const result = await api.disconnect(merchantId);
    setNotice(result.webhookRemoved === false ? `${t('connect.disconnected')} ${t('connect.webhookNotRemoved')}` : t('connect.disconnected'));
    connection.reload();
  };
  const posUrl = c.posButtonUrl ?? c.posButtonPath;
  const copy = async () => {
    await navigator.clipboard.writeText(posUrl ?? '');
    setCopied(true);
  };
  return (
    <section className="card" aria-labelledby="connection-title" data-testid="connection-panel">
      <h2 id="connection-title" className={styles.title}>
        {t('connect.title')}
      </h2>
      {notice && <p role="status">{notice}</p>}
      <p className={`${styles.status} ${styles[tone[c.status]]}`} data-status={c.status}>
        {t(`connect.status.${c.status}`)}
        {c.status === 'needs_reauth' && c.needsReauthReason ? <span className="muted"> ({c.needsReauthReason})</span> : null}
      </p>
      {c.status === 'connected' && c.connectedAt && (
        <p className="muted">{t('connect.connectedSince', { at: f.date(c.connectedAt), by: c.connectedBy ?? '—' })}</p>
      )}
      {c.series === 'x' && c.webhookRegistered && <p className="muted">{t('connect.webhook')}</p>}
      {isAdmin && (
        <p className={styles.actions}>
          {c.status !== 'connected' && (
            <a className={styles.button} href={c.connectPath}>
              {c.status === 'not_connected' ? t('connect.connect') : t('connect.reconnect')}
            </a>
          )}
          {c.status !== 'disconnected' && c.status !== 'not_connected' && (
            <button type="button" onClick={() => void disconnect()}>
              {t('connect.disconnect')}
            </button>
          )}
        </p>
      )}
      {c.series === 'r' && posUrl && (
        <div className={styles.pos}>
          <h3>{t('connect.posTitle')}</h3>
          <p>{c.posButtonUrl ? t('connect.posSteps') : t('connect.posNoPublicUrl')}</p>
          <p>
            <code className={styles.url} data-testid="pos-button-url">
              {posUrl}
            </code>{' '}
            <button type="button" onClick={() => void copy()}>
              {t('connect.copy')}
            </button>{' '}
            {copied && <span role="status">{t('connect.copied')}</span>}
          </p>
        </div>
      )}
    </section>
  );
}
