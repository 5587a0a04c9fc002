import { useTranslation } from 'react-i18next';

export type KioskStep = 'card' | 'basicFour' | 'consents' | 'done';
export const KIOSK_STEPS: readonly KioskStep[] = ['card', 'basicFour', 'consents', 'done'];

/** Where the resident is in the registration, as an ordered list with aria-current="step". */
export function StepIndicator({ current }: { current: KioskStep }) {
  const { t } = useTranslation();
  const at = KIOSK_STEPS.indexOf(current);
  return (
    <ol aria-label={t('resident.kiosk.steps.label')} className="mt-4 grid grid-cols-2 gap-2 sm:grid-cols-4">
      {KIOSK_STEPS.map((s, i) => {
        const state = i < at ? 'past' : i === at ? 'current' : 'future';
        return (
          <li
            key={s}
            aria-current={state === 'current' ? 'step' : undefined}
            className={`flex min-h-12 items-center gap-2 rounded-8 border-2 px-3 py-2 text-std-16B-170 ${
              state === 'current'
                ? 'border-blue-900 bg-blue-900 text-white'
                : state === 'past'
                  ? 'border-blue-900 bg-white text-blue-900'
                  : 'border-solid-gray-420 bg-white text-solid-gray-700'
            }`}
          >
            <span aria-hidden="true" className="inline-flex size-7 shrink-0 items-center justify-center rounded-full border-2 border-current">
              {state === 'past' ? '✓' : i + 1}
            </span>
            <span>{t(`resident.kiosk.steps.${s}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}
