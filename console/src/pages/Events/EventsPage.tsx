import { useContext, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api, type EndpointView, type User } from '../../api/client';
import { Loading } from '../../components/Async/Loading';
import { useAsync } from '../../components/Async/useAsync';
import { ServerError } from '../../components/ServerError/ServerError';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { MerchantContext, useFormat } from '../../format';
import { Deliveries } from './Deliveries';
import styles from './EventsPage.module.css';

/**
 * Outbound events: a merchant's webhook endpoints (route /merchants/:merchantId/events) or the
 * platform-wide ones (/events, platform admins). Add, test, rotate (the secret is shown once),
 * disable/enable, delete; each endpoint's recent deliveries with replay.
 */

/**
 * What the status line says: a catalogue key with its values, or a refusal of the server. Kept as a key,
 * never as a sentence, so that it is translated when shown (a language switch rewords it).
 */
export type Notice = { key: string; values?: Record<string, unknown> } | { error: unknown };
export function EventsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { merchantId = null } = useParams();
  const endpoints = useAsync(() => api.webhookEndpoints(merchantId), [merchantId]);
  const types = useAsync(() => api.eventTypes(), []);
  const [form, setForm] = useState({ url: '', description: '', eventTypes: [] as string[] });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [secret, setSecret] = useState<{ id: number; secret: string } | null>(null);
  const canChange = user.role === 'admin';
  const merchant = useContext(MerchantContext);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      endpoints.reload();
    } catch (error) {
      setNotice({ error });
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const made = await api.createWebhookEndpoint(merchantId, form);
      setSecret({ id: made.endpoint.id, secret: made.secret });
      setNotice(null);
      setForm({ url: '', description: '', eventTypes: [] });
    });
  };
  const toggleType = (type: string) =>
    setForm({ ...form, eventTypes: form.eventTypes.includes(type) ? form.eventTypes.filter((x) => x !== type) : [...form.eventTypes, type] });

  return (
    <>
      <h1>{merchantId === null ? t('events.platformTitle') : `${t('events.title')} · ${merchant?.name ?? merchantId}`}</h1>
      <p>{t('events.intro')}</p>
      <TimeZoneNote />
      {secret && (
        <div className={`card ${styles.secret}`} role="alert">
          <p>{t('events.secretOnce', { id: secret.id })}</p>
          <code>{secret.secret}</code>
        </div>
      )}
      {notice && 'error' in notice ? (
        <ServerError error={notice.error} />
      ) : (
        <p role="status" className={styles.notice}>
          {notice ? t(notice.key, notice.values) : null}
        </p>
      )}
      {canChange && (
        <form className={`card ${styles.form}`} onSubmit={submit} aria-labelledby="add-endpoint">
          <h2 id="add-endpoint">{t('events.add')}</h2>
          <label htmlFor="endpoint-url">{t('events.url')}</label>
          <input id="endpoint-url" type="url" required value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
          <label htmlFor="endpoint-description">{t('events.description')}</label>
          <input id="endpoint-description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <fieldset>
            <legend>{t('events.types')}</legend>
            <p className={styles.hint}>{t('events.allTypes')}</p>
            {(types.data?.eventTypes ?? []).map((type) => (
              <label key={type} className={styles.check}>
                <input type="checkbox" checked={form.eventTypes.includes(type)} onChange={() => toggleType(type)} /> <code className={styles.type}>{type}</code>
              </label>
            ))}
          </fieldset>
          <div>
            <button type="submit" className="primary">
              {t('events.submit')}
            </button>
          </div>
        </form>
      )}
      <h2>{t('events.endpoints')}</h2>
      {!endpoints.data ? (
        <Loading error={endpoints.error} />
      ) : endpoints.data.length === 0 ? (
        <p>{t('events.none')}</p>
      ) : (
        endpoints.data.map((e) => (
          <Endpoint
            key={e.id}
            endpoint={e}
            merchantId={merchantId}
            canChange={canChange}
            act={act}
            onSecret={(s) => setSecret({ id: e.id, secret: s })}
            onNotice={setNotice}
          />
        ))
      )}
    </>
  );
}

function Endpoint(props: {
  endpoint: EndpointView;
  merchantId: string | null;
  canChange: boolean;
  act: (fn: () => Promise<unknown>) => Promise<void>;
  onSecret: (secret: string) => void;
  onNotice: (notice: Notice) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { endpoint: e, merchantId, canChange, act } = props;
  const [open, setOpen] = useState(false);
  return (
    <section className={`card ${styles.endpoint}`} aria-labelledby={`endpoint-${e.id}`}>
      <h3 id={`endpoint-${e.id}`} className={styles.url}>
        {e.url}
      </h3>
      <p>
        {e.description && <>{e.description} · </>}
        <strong>{e.enabled ? t('events.enabled') : `${t('events.disabled')} (${t(`events.disabledReason.${e.disabledReason ?? 'manual'}`)})`}</strong>
        {' · '}
        {e.eventTypes.length ? e.eventTypes.join(', ') : t('events.everyType')}
      </p>
      {e.failingSince && <p>{t('events.failingSince', { at: format.date(e.failingSince) })}</p>}
      {e.previousSecretValidUntil && <p>{t('events.overlap', { at: format.date(e.previousSecretValidUntil) })}</p>}
      <div className={styles.actions}>
        {canChange && (
          <>
            <button
              type="button"
              onClick={() => void act(async () => props.onNotice({ key: 'events.testSent', values: await api.sendWebhookTest(merchantId, e.id) }))}
            >
              {t('events.test')}
            </button>
            <button
              type="button"
              onClick={() =>
                window.confirm(t('events.rotateConfirm', { url: e.url })) &&
                void act(async () => props.onSecret((await api.rotateWebhookSecret(merchantId, e.id)).secret))
              }
            >
              {t('events.rotate')}
            </button>
            <button type="button" onClick={() => void act(() => api.setWebhookEndpointEnabled(merchantId, e.id, !e.enabled))}>
              {e.enabled ? t('events.disable') : t('events.enable')}
            </button>
            <button
              type="button"
              onClick={() => window.confirm(t('events.removeConfirm', { url: e.url })) && void act(() => api.deleteWebhookEndpoint(merchantId, e.id))}
            >
              {t('events.remove')}
            </button>
          </>
        )}
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('events.hide') : t('events.show')}
        </button>
      </div>
      {open && <Deliveries merchantId={merchantId} endpointId={e.id} canChange={canChange} onNotice={props.onNotice} />}
    </section>
  );
}
