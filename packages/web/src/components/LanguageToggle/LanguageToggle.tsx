import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/localized';

/** Switches between Japanese and English; the choice is persisted by i18n/index.ts. */
export function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const lang = useLang();
  const next = lang === 'ja' ? 'en' : 'ja';
  return (
    <button
      type="button"
      lang={next}
      aria-label={t('language.toggleLabel')}
      onClick={() => void i18n.changeLanguage(next)}
      className="inline-flex min-h-11 cursor-pointer items-center gap-2 rounded-8 border-2 border-solid-gray-800 bg-white px-3 text-oln-16B-100 text-solid-gray-900 hover:bg-solid-gray-50 hover:underline"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5 fill-current">
        <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm6.9 6h-2.9a15.7 15.7 0 0 0-1.4-3.6A8 8 0 0 1 18.9 8ZM12 4c.8 1.2 1.5 2.5 1.9 4h-3.8c.4-1.5 1.1-2.8 1.9-4ZM4.3 14a8.2 8.2 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4H4.3Zm.8 2h2.9c.3 1.3.8 2.5 1.4 3.6A8 8 0 0 1 5.1 16ZM8 8H5.1a8 8 0 0 1 4.3-3.6C8.8 5.5 8.4 6.7 8 8Zm4 12c-.8-1.2-1.5-2.5-1.9-4h3.8c-.4 1.5-1.1 2.8-1.9 4Zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4Zm.3 5.6c.6-1.1 1.1-2.3 1.4-3.6h2.9a8 8 0 0 1-4.3 3.6Zm1.7-5.6a16.5 16.5 0 0 0 0-4h3.4a8.2 8.2 0 0 1 0 4h-3.4Z" />
      </svg>
      {t('language.toggle')}
    </button>
  );
}
