import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { errorText } from '../../api/errorText';
import styles from './ServerError.module.css';

/** A refusal of the server, translated from its stable code (the server is the authority on every rule), beside what it concerns. */
export function ServerError({ error, id }: { error: unknown; id?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <p id={id} role="alert" className={styles.error} data-status={status} data-code={error instanceof ApiError ? error.code : undefined}>
      {errorText(t, error)}
    </p>
  );
}
