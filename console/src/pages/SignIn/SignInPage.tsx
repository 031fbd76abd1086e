import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type User } from '../../api/client';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailId = useId();
  const passwordId = useId();
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.signIn(email, password);
      // Sent here by the queue dashboard: back to it (only to that path of this service, never elsewhere).
      const next = new URLSearchParams(window.location.search).get('next');
      if (next?.startsWith('/admin/queues/')) window.location.assign(next);
      else onSignedIn(user);
    } catch (e) {
      const seconds = e instanceof ApiError ? (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
      setError(
        e instanceof ApiError && e.status === 429
          ? t('signIn.throttled', { seconds: seconds ?? 60 })
          : e instanceof ApiError && e.status === 401
            ? t('signIn.failed')
            : String((e as Error).message),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" style={{ maxWidth: '26rem', margin: '3rem auto' }}>
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? errorId : undefined}>
        <p>
          <label htmlFor={emailId}>{t('signIn.email')}</label>
          <br />
          <input
            id={emailId}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            style={{ width: '100%' }}
          />
        </p>
        <p>
          <label htmlFor={passwordId}>{t('signIn.password')}</label>
          <br />
          <input
            id={passwordId}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            style={{ width: '100%' }}
          />
        </p>
        {error && (
          <p id={errorId} role="alert" className="error">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
