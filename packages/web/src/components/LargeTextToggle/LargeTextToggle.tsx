import { useTranslation } from 'react-i18next';
import { setLargeText, useLargeText } from '../../lib/largeText';

/** A switch (button with aria-pressed) for the resident screens' large text; the choice persists. */
export function LargeTextToggle({ className = '' }: { className?: string }) {
  const { t } = useTranslation();
  const on = useLargeText();
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={() => setLargeText(!on)}
      className={`inline-flex min-h-12 cursor-pointer items-center gap-2 rounded-8 border-2 border-solid-gray-800 bg-white px-4 text-oln-16B-100 text-solid-gray-900 hover:bg-solid-gray-50 hover:underline aria-pressed:border-blue-900 aria-pressed:bg-blue-50 ${className}`}
    >
      <span aria-hidden="true" className="text-std-20B-150 leading-none">
        あA
      </span>
      {t('resident.largeText.label')}
      <span aria-hidden="true" className="font-bold">{on ? '✓' : ''}</span>
    </button>
  );
}
