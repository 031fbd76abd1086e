import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';

/**
 * A person changes their own password (their other sessions end on the server). `forced`: an admin reset
 * it, and the console shows nothing else until a new one is chosen.
 */
export function PasswordPage({ forced = false, onChanged }: { forced?: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ current: '', next: '', again: '' });
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { current: useId(), next: useId(), again: useId(), message: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.next !== form.again) return setMessage({ error: true, text: t('password.mismatch') });
    setBusy(true);
    setMessage(null);
    try {
      await api.changePassword(form.current, form.next);
      setForm({ current: '', next: '', again: '' });
      setMessage({ error: false, text: t('password.changed') });
      onChanged();
    } catch (e) {
      const text =
        e instanceof ApiError && e.status === 401
          ? t('password.wrongCurrent')
          : e instanceof ApiError && e.status === 429
            ? t('signIn.throttled', { seconds: (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60 })
            : e instanceof ApiError && e.status === 400
              ? t('password.tooShort')
              : String((e as Error).message);
      setMessage({ error: true, text });
    } finally {
      setBusy(false);
    }
  };

  const field = (key: 'current' | 'next' | 'again') => (
    <p>
      <label htmlFor={ids[key]}>{t(`password.${key}`)}</label>
      <br />
      <input
        id={ids[key]}
        type="password"
        autoComplete={key === 'current' ? 'current-password' : 'new-password'}
        required
        minLength={key === 'current' ? undefined : 12}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        style={{ width: '100%' }}
      />
    </p>
  );

  return (
    <section className="card" style={{ maxWidth: '26rem', margin: '3rem auto' }}>
      <h1>{t('password.title')}</h1>
      {forced && <p>{t('password.forced')}</p>}
      <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={message ? ids.message : undefined}>
        {field('current')}
        {field('next')}
        {field('again')}
        {message && (
          <p id={ids.message} role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : undefined}>
            {message.text}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {t('password.submit')}
        </button>
      </form>
    </section>
  );
}
