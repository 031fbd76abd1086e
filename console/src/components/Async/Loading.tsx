import { useTranslation } from 'react-i18next';
import { ServerError } from '../ServerError/ServerError';

/** The loading and error states every page shares (an error through the one error path). */
export function Loading({ error }: { error?: Error }) {
  const { t } = useTranslation();
  if (error) return <ServerError error={error} />;
  return <p aria-live="polite">{t('common.loading')}</p>;
}
