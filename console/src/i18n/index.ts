import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { fr } from './fr';

/** French or English: from the browser at first, then the person's choice, remembered (localStorage). */
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, fr: { translation: fr } },
    supportedLngs: ['en', 'fr'],
    nonExplicitSupportedLngs: true,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator'],
      caches: ['localStorage'],
      lookupLocalStorage: 'console.lang',
      // The browser's "en-GB" or "fr-CA" picks the language, never the formats: dates and numbers are written
      // as the console's language writes them ("fr", "en"), whatever the browser's region.
      convertDetectedLanguage: (lng: string) => (lng.toLowerCase().startsWith('fr') ? 'fr' : 'en'),
    },
  });

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng.startsWith('fr') ? 'fr' : 'en';
});

export default i18n;
