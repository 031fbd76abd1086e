import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fb, type User } from '../../api/client';
import { useAsync } from '../../components/Async/useAsync';
import { Loading } from '../../components/Async/Loading';
import styles from './UsersPage.module.css';
import { ServerError } from '../../components/ServerError/ServerError';
import { useMerchants, useStaff } from '../../api/hooks';

type Role = User['role'];
const ROLES: Role[] = ['admin', 'support', 'viewer'];

/** Platform admins add the people who sign in (with a role and a scope) and disable them. */
export function UsersPage({ user: me }: { user?: User }) {
  const { t } = useTranslation();
  const users = useStaff();
  // Merchants by name, never by a typed id: the scope is chosen from the list and shown by name.
  const merchants = useMerchants();
  const merchantName = (id: string) => merchants.data?.find((m) => m.id === id)?.name ?? id;
  const distributors = useAsync(() => fb.distributors(), []);
  const distributorName = (id: number) => distributors.data?.find((d) => d.id === id)?.name ?? `#${id}`;
  const [form, setForm] = useState({ email: '', name: '', role: 'support' as Role, merchantId: '', password: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    setFailure(null);
    try {
      const created = await api.createStaff({
        email: form.email,
        name: form.name,
        role: form.role,
        merchantId: form.merchantId.trim() || null,
        password: form.password,
      });
      setNotice(t('users.created', { email: created.email }));
      setForm({ ...form, email: '', name: '', password: '' });
      users.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  // A temporary password made here (never chosen by the admin), shown once: the person replaces it at sign-in.
  const resetPassword = async (id: number, email: string) => {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    const temporary = Array.from(bytes, (b) => 'abcdefghjkmnpqrstuvwxyz23456789'[b % 31]).join('');
    try {
      await api.resetStaffPassword(id, temporary);
      setNotice(t('users.resetDone', { email, password: temporary }));
      users.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  const input = (key: 'email' | 'name' | 'password', type: string) => (
    <div className={styles.field}>
      <label htmlFor={`person-${key}`}>{t(`users.${key}`)}</label>
      <input
        id={`person-${key}`}
        type={type}
        required
        minLength={key === 'password' ? 12 : undefined}
        autoComplete={key === 'password' ? 'new-password' : 'off'}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </div>
  );
  return (
    <>
      <h1>{t('users.title')}</h1>
      <form className={`card ${styles.form}`} onSubmit={(e) => void submit(e)} aria-labelledby="create-person">
        <h2 id="create-person" style={{ gridColumn: '1 / -1', margin: 0 }}>
          {t('users.create')}
        </h2>
        {input('email', 'email')}
        {input('name', 'text')}
        <div className={styles.field}>
          <label htmlFor="person-role">{t('users.role')}</label>
          <select id="person-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`users.roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor="person-merchantId">{t('users.merchant')}</label>
          <select id="person-merchantId" value={form.merchantId} onChange={(e) => setForm({ ...form, merchantId: e.target.value })}>
            <option value="">{t('users.allMerchants')}</option>
            {(merchants.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        {input('password', 'password')}
        <div>
          <button type="submit" className="primary">
            {t('users.submit')}
          </button>
        </div>
        <p role="status" style={{ gridColumn: '1 / -1', margin: 0 }}>
          {notice}
        </p>
        <div style={{ gridColumn: '1 / -1' }}>
          <ServerError error={failure} />
        </div>
      </form>
      {!users.data ? (
        <Loading error={users.error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('users.email')}</th>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.scope')}</th>
              <th scope="col">{t('users.state')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>{u.name}</td>
                <td>{t(`users.roles.${u.role}`)}</td>
                <td>
                  {u.distributorId
                    ? t('users.distributorScope', { name: distributorName(u.distributorId) })
                    : u.merchantId
                      ? merchantName(u.merchantId)
                      : t('users.allMerchants')}
                </td>
                <td>
                  {u.disabledAt ? (
                    t('users.disabled')
                  ) : (
                    <>
                      {t('users.active')} {/* Nobody disables themselves (they would lock themselves out mid-session). */}
                      {u.id !== me?.id && (
                        <button type="button" className={styles.secondary} onClick={() => void api.disableStaff(u.id).then(users.reload)}>
                          {t('users.disable', { email: u.email })}
                        </button>
                      )}{' '}
                      <button type="button" className={styles.secondary} onClick={() => void resetPassword(u.id, u.email)}>
                        {t('users.reset', { email: u.email })}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
