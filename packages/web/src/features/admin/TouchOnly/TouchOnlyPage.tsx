import { useTranslation } from 'react-i18next';
import { useApi } from '../../../hooks/useApi';
import { useSession } from '../../../session/SessionContext';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { MunicipalityScope } from '../../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../../components/MunicipalityScope/useMunicipalityScope';
import { touchOnlyApi } from './touchOnlyApi';
import { TouchOnlyForm } from './TouchOnlyForm';

/**
 * The kiosk flows a municipality lets residents use with a card touch alone (acr card-touch),
 * with a plain explanation of why that is weaker than card + PIN.
 */
export function TouchOnlyPage() {
  const { t } = useTranslation();
  const { canAdminister } = useSession();
  const [code, setCode] = useMunicipalityScope();
  const flows = useApi(['touch-only', code], (signal) => touchOnlyApi.get(code, signal));

  return (
    <>
      <PageHeading>{t('counter.touchOnly.title')}</PageHeading>
      <p className="mt-4">{t('counter.touchOnly.lead')}</p>
      <div className="mt-4 flex gap-2 rounded-8 border-2 border-warning-yellow-1 bg-yellow-50 px-4 py-3">
        <span aria-hidden="true">⚠</span>
        <p>{t('counter.touchOnly.weaker')}</p>
      </div>
      <MunicipalityScope value={code} onChange={setCode} />
      <Section title={t('counter.touchOnly.legend')}>
        {flows.loading && <Loading />}
        <ProblemAlert error={flows.error} />
        {flows.data && (
          <TouchOnlyForm
            key={code}
            municipalityCode={code}
            initial={flows.data.flows}
            canEdit={canAdminister(code)}
            onSaved={(next) => flows.setData(() => next)}
          />
        )}
      </Section>
    </>
  );
}
