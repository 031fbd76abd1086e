import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** French or English, remembered by the i18n detector's cache. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const current = i18n.language.startsWith('fr') ? 'fr' : 'en';
  return (
    <span>
      <label htmlFor={id}>{t('lang.label')} </label>
      <select id={id} value={current} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        <option value="en" lang="en">
          {t('lang.en')}
        </option>
        <option value="fr" lang="fr">
          {t('lang.fr')}
        </option>
      </select>
    </span>
  );
}
