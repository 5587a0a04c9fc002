import { useTranslation } from 'react-i18next';
import type { VaultInfo } from '../../../api/types';
import { formatNumber } from '../../../lib/format';
import { isVaultLocation, useLang, vaultLabel } from '../../../lib/localized';

export function VaultSummary({ vault }: { vault: VaultInfo }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <div className="rounded-12 border border-solid-gray-420 p-4">
      <p className="text-std-22B-150" data-testid="vault-location">
        {vaultLabel(t, vault.location)}
      </p>
      {isVaultLocation(vault.location) && (
        <p className="mt-1 text-solid-gray-800">{t(`vault.explanations.${vault.location}`)}</p>
      )}
      <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
        <dt className="font-bold">{t('vault.detail')}</dt>
        <dd className="font-mono break-all">{vault.detail || '—'}</dd>
        <dt className="font-bold">{t('vault.recordCount')}</dt>
        <dd data-testid="vault-record-count">{formatNumber(vault.recordCount, lang)}</dd>
        <dt className="font-bold">{t('vault.keyId')}</dt>
        <dd className="font-mono break-all">{vault.keyId}</dd>
      </dl>
    </div>
  );
}
