import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../Async/Loading';
import styles from './ConnectStore.module.css';
import { useSession } from '../../api/hooks';

/**
 * On the Merchants page: each merchant's Lightspeed connection (with Reconnect where access was refused or
 * removed), and for admins the Connect form. The form is a plain GET to /connect/lightspeed/{x|r}: the
 * browser follows the redirect to Lightspeed's approval page and comes back on the merchant's Operations.
 */
export function ConnectStore() {
  const { t } = useTranslation();
  const id = useId();
  const session = useSession();
  if (!session.data) return <Loading error={session.error} />;
  const user = session.data.user;
  const isAdmin = user.role === 'admin';
  return (
    <>
      {isAdmin && (
        <section className="card" aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`} className={styles.title}>
            {t('connect.newTitle')}
          </h2>
          <p className="muted">{t('connect.newHelp')}</p>
          <form method="get" action="/connect/lightspeed/x" className={styles.form}>
            {user.merchantId === null ? (
              <label>
                {t('connect.merchantId')}
                <input type="text" name="merchantId" pattern="[a-z0-9][a-z0-9\-]{0,62}" autoComplete="off" />
              </label>
            ) : (
              <p>{t('connect.ownMerchant', { id: user.merchantId })}</p>
            )}
            <label>
              {t('connect.name')}
              <input type="text" name="name" maxLength={200} autoComplete="organization" />
            </label>
            <label>
              {t('connect.timezone')}
              <input type="text" name="timezone" autoComplete="off" />
            </label>
            <p className={styles.buttons}>
              <button className="primary" type="submit">
                {t('connect.connectX')}
              </button>
              <button className="primary" type="submit" formAction="/connect/lightspeed/r">
                {t('connect.connectR')}
              </button>
            </p>
          </form>
        </section>
      )}
    </>
  );
}
