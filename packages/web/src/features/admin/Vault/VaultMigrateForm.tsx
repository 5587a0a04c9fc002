import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import { VAULT_LOCATIONS, type VaultLocation, type VaultMigrateResult } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { formatNumber } from '../../../lib/format';
import { useLang, vaultLabel } from '../../../lib/localized';
import { Section } from '../../../components/Section/Section';
import { SelectField, TextField } from '../../../components/Field/Field';
import { SubmitButton } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';

export interface VaultMigrateFormProps {
  municipalityCode: string;
  current: string;
  result: VaultMigrateResult | null;
  onStart: () => void;
  onMigrated: (r: VaultMigrateResult) => void;
}

/** Platform admins: move a municipality's vault to another location, then show the verification. */
export function VaultMigrateForm({ municipalityCode, current, result, onStart, onMigrated }: VaultMigrateFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const [to, setTo] = useState<VaultLocation>(VAULT_LOCATIONS.find((l) => l !== current) ?? 'embedded');
  const [url, setUrl] = useState('');
  const { busy, error, onSubmit } = useSubmit();
  const needsUrl = to !== 'embedded';

  // After a migration the current location changes: preselect a location we are not already in
  // (adjusted while rendering, when `current` differs from the one the choice was made against).
  const [choiceFor, setChoiceFor] = useState(current);
  if (choiceFor !== current) {
    setChoiceFor(current);
    if (to === current) setTo(VAULT_LOCATIONS.find((l) => l !== current) ?? to);
  }

  const migrate = async () => {
    onStart();
    const r = await api.migrateVault(municipalityCode, needsUrl ? { to, url: url.trim() } : { to });
    setUrl('');
    onMigrated(r);
  };

  return (
    <Section title={t('vault.migrateTitle')}>
      <p className="mb-4">{t('vault.migrateLead')}</p>
      <form onSubmit={onSubmit(migrate)} className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4" aria-busy={busy}>
        <StatusMessage
          message={
            result
              ? t('vault.migrated', {
                  from: vaultLabel(t, result.from),
                  to: vaultLabel(t, result.to),
                  records: formatNumber(result.records, lang),
                })
              : null
          }
        />
        {result && (
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 rounded-8 bg-solid-gray-50 p-3">
            <dt className="font-bold">{t('vault.from')}</dt>
            <dd>{vaultLabel(t, result.from)}</dd>
            <dt className="font-bold">{t('vault.to')}</dt>
            <dd>{vaultLabel(t, result.to)}</dd>
            <dt className="font-bold">{t('vault.records')}</dt>
            <dd>{formatNumber(result.records, lang)}</dd>
            <dt className="font-bold">{t('vault.verified')}</dt>
            <dd>{result.verified ? t('common.yes') : t('common.no')}</dd>
          </dl>
        )}
        <ProblemAlert error={error} />
        <SelectField
          id="vault-migrate-to"
          label={t('vault.migrateTo')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value as VaultLocation)}
          wrapperClassName="max-w-md"
        >
          {VAULT_LOCATIONS.map((l) => (
            <option key={l} value={l}>
              {vaultLabel(t, l)}
              {l === current ? ` — ${t('vault.sameLocation')}` : ''}
            </option>
          ))}
        </SelectField>
        {needsUrl && (
          <TextField
            id="vault-migrate-url"
            label={t('vault.url')}
            hint={to === 'postgres' ? t('vault.urlHintPostgres') : t('vault.urlHintRemote')}
            inputMode="url"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            className="font-mono"
          />
        )}
        <SubmitButton busy={busy} busyLabel={t('vault.migrating')} className="self-start">
          {t('vault.migrateSubmit')}
        </SubmitButton>
      </form>
    </Section>
  );
}
