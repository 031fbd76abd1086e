import type { TFunction } from 'i18next';
import { ApiError } from './client';

/**
 * The one error path's words: a refusal of the server in the console's language, from its stable code
 * (catalogue `errors.code.<CODE>`), never the server's English message. An unknown code still reads
 * as a sentence, with the code for the platform team.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unknown', { code: 'CLIENT' });
  const fields = Array.isArray(error.details)
    ? [...new Set((error.details as Array<{ path?: string }>).map((d) => d.path).filter((p): p is string => Boolean(p)))].join(', ')
    : '';
  const key = `errors.code.${error.code}`;
  return t(key, { fields: fields || t('errors.fieldsUnknown'), defaultValue: t('errors.unknown', { code: error.code }) });
}
