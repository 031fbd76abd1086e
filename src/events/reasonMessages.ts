// The reason catalogue the console shows (src/contract/reasonMessages.ts): events render the same
// sentences, so a receiver shows a customer what support sees.
import { reasonMessagesEn, reasonMessagesFr } from '../contract/reasonMessages.js';

export type Language = 'en' | 'fr';
const catalogues: Record<Language, Record<string, string>> = { en: reasonMessagesEn, fr: reasonMessagesFr };

/** `{{name}}` replaced by data.name (i18next's syntax); an unknown code renders as the code itself. */
export function renderReason(language: Language, code: string, data: Record<string, unknown>): string {
  const template = catalogues[language][code] ?? code;
  // The console names a segment by the store's series (group or type); an event speaks of both.
  data = { segmentWord: language === 'fr' ? 'type ou groupe de clients' : 'customer type or group', ...data };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => {
    const value = data[name];
    return value === undefined || value === null ? '' : String(value);
  });
}
