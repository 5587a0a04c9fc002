import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { VaultMigrateResult } from '../../../api/types';
import { useApi } from '../../../hooks/useApi';
import { useSession } from '../../../session/SessionContext';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { MunicipalityScope } from '../../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../../components/MunicipalityScope/useMunicipalityScope';
import { VaultSummary } from './VaultSummary';
import { VaultLocationGuide } from './VaultLocationGuide';
import { VaultMigrateForm } from './VaultMigrateForm';

export function VaultPage() {
  const { t } = useTranslation();
  const { isPlatformAdmin, reloadMunicipalities } = useSession();
  const [code, setCode] = useMunicipalityScope();
  const vault = useApi(['vault', code], (signal) => api.vault(code, signal));
  const [result, setResult] = useState<VaultMigrateResult | null>(null);

  return (
    <>
      <PageHeading>{t('vault.title')}</PageHeading>
      <p className="mt-4">{t('vault.lead')}</p>
      <MunicipalityScope
        value={code}
        onChange={(c) => {
          setResult(null);
          setCode(c);
        }}
      />

      <Section title={t('vault.location')}>
        {vault.loading && <Loading />}
        <ProblemAlert error={vault.error} />
        {vault.data && <VaultSummary vault={vault.data} />}
      </Section>

      <VaultLocationGuide />

      {isPlatformAdmin && vault.data && (
        <VaultMigrateForm
          key={code}
          municipalityCode={code}
          current={vault.data.location}
          onStart={() => setResult(null)}
          onMigrated={(r) => {
            setResult(r);
            vault.reload();
            reloadMunicipalities();
          }}
          result={result}
        />
      )}
    </>
  );
}
