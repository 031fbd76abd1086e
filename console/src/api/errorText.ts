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

/**
 * A 400's refused fields, each with what the field expects in the console's language (catalogue
 * `errors.field.<field>`, else a general "check this field"), by the field's top name ("regions.0" →
 * "regions"). The server's words (zod's English) are for API users and logs, not shown.
 */
export function fieldIssues(t: TFunction, error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.details as Array<{ path?: string }>) {
    const key = (issue.path ?? '').split('.')[0] ?? '';
    if (!out[key]) out[key] = t(`errors.field.${key}`, { defaultValue: t('errors.field.any') });
  }
  return out;
}
