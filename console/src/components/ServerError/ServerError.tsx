import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import styles from './ServerError.module.css';

/** The server's refusal, in its words (the server is the authority on every rule), beside the field it concerns. */
export function ServerError({ error, id }: { error: unknown; id?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = error instanceof ApiError ? error.message : String((error as Error).message ?? error);
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <p id={id} role="alert" className={styles.error} data-status={status}>
      {t(status === 403 ? 'fb.common.forbidden' : 'fb.common.refused', { message })}
    </p>
  );
}
