import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { AuditQuery } from '../../../api/types';
import { useApi } from '../../../hooks/useApi';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { MunicipalityScope } from '../../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../../components/MunicipalityScope/useMunicipalityScope';
import { AuditSearchForm, DEFAULT_LIMIT } from './AuditSearchForm';
import { AuditTable } from './AuditTable';
import { AuditVerify } from './AuditVerify';

export function AuditPage() {
  const { t } = useTranslation();
  const [code, setCode] = useMunicipalityScope();
  const [query, setQuery] = useState<AuditQuery>({ limit: DEFAULT_LIMIT });
  const [searchCount, setSearchCount] = useState(0);
  const results = useApi(['audit', code, query, searchCount], (signal) => api.audit(code, query, signal));

  return (
    <>
      <PageHeading>{t('audit.title')}</PageHeading>
      <p className="mt-4">{t('audit.lead')}</p>
      <MunicipalityScope value={code} onChange={setCode} />

      <AuditVerify key={code} municipalityCode={code} />

      <Section title={t('audit.searchTitle')}>
        <AuditSearchForm
          busy={results.loading}
          onSearch={(q) => {
            setQuery(q);
            setSearchCount((n) => n + 1);
          }}
        />
      </Section>

      <Section title={t('audit.resultsCaption', { count: results.data?.entries.length ?? 0 })}>
        {results.loading && <Loading />}
        <ProblemAlert error={results.error} />
        {results.data &&
          (results.data.entries.length === 0 ? (
            <p>{t('audit.empty')}</p>
          ) : (
            <AuditTable entries={results.data.entries} />
          ))}
      </Section>
    </>
  );
}
