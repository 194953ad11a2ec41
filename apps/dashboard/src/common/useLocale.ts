import { useTranslation } from 'react-i18next';
import { isLanguage, LOCALE_TAG } from '../i18n';

/** The BCP 47 tag of the current language, for Intl formatting. */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return LOCALE_TAG[isLanguage(i18n.language) ? i18n.language : 'zh'];
}
