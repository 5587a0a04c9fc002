import { useTranslation } from 'react-i18next';
import { residentApi } from '../../../api/resident';
import { useApi } from '../../../hooks/useApi';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { formatDateTime } from '../../../lib/format';
import { useLang } from '../../../lib/localized';
import { accessSentence } from './accessLog';

/** The access log's query: invalidated when something the resident did adds to it (a consent changed). */
export const ACCESS_LOG_KEY = ['resident', 'access-log'] as const;

/** 「あなたの情報を使った記録」: the resident's access log as plain sentences, newest first. */
export function AccessLogSection() {
  const { t } = useTranslation();
  const lang = useLang();
  const log = useApi(ACCESS_LOG_KEY, (signal) => residentApi.accessLog(50, signal));
  return (
    <Section title={t('resident.my.accessTitle')}>
      <p className="text-std-18N-160">{t('resident.my.accessLead')}</p>
      {log.loading && !log.data && <Loading />}
      <ProblemAlert error={log.error} className="mt-3" />
      {log.data &&
        (log.data.length === 0 ? (
          <p className="mt-3">{t('resident.my.accessEmpty')}</p>
        ) : (
          <ol className="mt-4 flex flex-col gap-2" data-testid="access-log">
            {log.data.map((e) => (
              <li key={e.id} className="rounded-8 border border-solid-gray-420 px-4 py-3">
                <p className="text-std-16N-170 text-solid-gray-700">
                  <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                </p>
                <p className="text-std-18N-160">{accessSentence(t, e, lang)}</p>
              </li>
            ))}
          </ol>
        ))}
    </Section>
  );
}
