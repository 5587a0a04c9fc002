import { useTranslation } from 'react-i18next';
import type { Need } from '../../api/shelterTypes';

/** Icons beside the words: colour is never the only signal, and the words are always there. */
export const NEED_ICONS: Record<Need, string> = {
  allergy: '⚠',
  medication: '💊',
  care: '♿',
  disability: '🦯',
  pregnancy: '🤰',
  infant: '🍼',
  pet: '🐾',
};

/** A person's needs as labelled badges (icon + word). */
export function NeedBadges({ needs, language }: { needs: readonly Need[]; language?: string | null }) {
  const { t } = useTranslation();
  const otherLanguage = language && language !== 'ja' ? language : null;
  if (needs.length === 0 && !otherLanguage) return <span className="text-solid-gray-600">{t('shelter.needs.none')}</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label={t('shelter.needs.label')}>
      {needs.map((n) => (
        <li key={n} className="inline-flex items-center gap-1 rounded-8 border border-orange-800 bg-orange-50 px-2 py-0.5 text-std-16N-170 text-orange-1100">
          <span aria-hidden="true">{NEED_ICONS[n]}</span>
          {t(`shelter.needs.${n}`)}
        </li>
      ))}
      {otherLanguage && (
        <li className="inline-flex items-center gap-1 rounded-8 border border-blue-800 bg-blue-50 px-2 py-0.5 text-std-16N-170 text-blue-1100">
          <span aria-hidden="true">🌐</span>
          {t('shelter.needs.language', { language: otherLanguage })}
        </li>
      )}
    </ul>
  );
}
