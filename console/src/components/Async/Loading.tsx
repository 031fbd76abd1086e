import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';

/** The loading and error states every page shares. */
export function Loading({ error }: { error?: Error }) {
  const { t } = useTranslation();
  if (error) return <p role="alert">{t('common.error', { message: error instanceof ApiError ? error.message : String(error.message) })}</p>;
  return <p aria-live="polite">{t('common.loading')}</p>;
}
