// The reason catalogue the console shows (src/contract/reasonMessages.ts): events render the same
// sentences, so a receiver shows a customer what support sees.
import { reasonMessagesEn, reasonMessagesFr } from '../contract/reasonMessages.js';

export type Language = 'en' | 'fr';
const catalogues: Record<Language, Record<string, string>> = { en: reasonMessagesEn, fr: reasonMessagesFr };

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** `{{name}}` replaced by data.name (i18next's syntax); an unknown code renders as the code itself. */
export function renderReason(language: Language, code: string, data: Record<string, unknown>): string {
  const template = catalogues[language][code] ?? code;
  // The console names a segment by the store's series (group or type); an event speaks of both, unless
  // the reason's data names it. (Looked up, not spread into a copy of data: this runs 4 times per sale.)
  const segmentWord = language === 'fr' ? 'type ou groupe de clients' : 'customer type or group';
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = Object.hasOwn(data, name) ? data[name] : name === 'segmentWord' ? segmentWord : undefined;
    return value === undefined || value === null ? '' : String(value);
  });
}
