import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="py-4 text-std-16N-170 text-solid-gray-700">
      {t('app.loading')}
    </p>
  );
}
