import { useTranslation } from 'react-i18next';

export function SkipLink({ target = 'main' }: { target?: string }) {
  const { t } = useTranslation();
  return (
    <a
      href={`#${target}`}
      className="sr-only rounded-8 bg-white text-std-16B-170 text-blue-1000 underline focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:px-4 focus:py-3"
    >
      {t('app.skipToContent')}
    </a>
  );
}
