import { useTranslation } from 'react-i18next';

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="mt-16 border-t border-solid-gray-420 bg-solid-gray-50">
      <div className="mx-auto max-w-6xl px-4 py-6 text-dns-16N-130 text-solid-gray-800 sm:px-6">
        <p>{t('app.footer')}</p>
      </div>
    </footer>
  );
}
