import { Button } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LOCALE_TAG, rememberLanguage } from '../i18n';

/** One button that switches between 中文 and English, remembered on this device. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh' : 'en';
  return (
    <Button
      icon={compact ? undefined : <TranslationOutlined />}
      onClick={() => {
        rememberLanguage(next);
        void i18n.changeLanguage(next);
        document.documentElement.lang = LOCALE_TAG[next];
      }}
      aria-label={t('language.label')}
      data-testid="lang-switch"
      lang={LOCALE_TAG[next]}
    >
      {t('language.switchTo')}
    </Button>
  );
}
