import { useTranslation } from 'react-i18next';
import { VAULT_LOCATIONS } from '../../../api/types';

/** Explains the three places a municipality's vault can live. */
export function VaultLocationGuide() {
  const { t } = useTranslation();
  return (
    <details className="mt-6 rounded-8 border border-solid-gray-420">
      <summary className="flex min-h-12 cursor-pointer items-center px-4 text-std-16B-170 text-blue-1000 underline underline-offset-[3px]">
        {t('vault.guideTitle')}
      </summary>
      <dl className="flex flex-col gap-3 px-4 pb-4">
        {VAULT_LOCATIONS.map((l) => (
          <div key={l}>
            <dt className="font-bold">{t(`vault.locations.${l}`)}</dt>
            <dd>{t(`vault.explanations.${l}`)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
