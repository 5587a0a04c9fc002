import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isProblemError } from '../../api/api';
import type { SafetySearchResult } from '../../api/shelterTypes';
import { useSubmit } from '../../hooks/useSubmit';
import { Section } from '../../components/Section/Section';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { SubmitButton } from '../../components/Button/Button';
import { useLang } from '../../lib/localized';
import { BigInput } from './fields';
import { formatSince, todayJst } from './form';
import type { MyShelterApi } from './myShelterApi';

type Outcome =
  | { kind: 'result'; result: SafetySearchResult; name: string; birthDate: string }
  | { kind: 'limited'; message: string | undefined };

/**
 * 安否確認: name + birth date → where the person is, or a neutral 「情報はありません」 that is the
 * same whether they are not registered, did not consent, or are protected (the server answers the
 * three identically; the page must not hint at which). Shows the searches left this hour; the
 * 429 limit is shown as a calm notice, not an error.
 */
export function SafetySearchSection({ client }: { client: MyShelterApi }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [name, setName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [errors, setErrors] = useState<{ name?: string; birthDate?: string }>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [remaining, setRemaining] = useState<number | null>(null);
  const search = useSubmit();
  const resultRef = useRef<HTMLDivElement>(null);

  // Move to the answer when it arrives, so it is read out and seen on a small screen.
  useEffect(() => {
    if (outcome) resultRef.current?.focus();
  }, [outcome]);

  const onSubmit = search.onSubmit(
    async () => {
      try {
        const result = await client.safetySearch({ name: name.trim(), birthDate });
        setRemaining(result.remaining);
        setOutcome({ kind: 'result', result, name: name.trim(), birthDate });
      } catch (e) {
        if (isProblemError(e) && e.status === 429) {
          setRemaining(0);
          setOutcome({ kind: 'limited', message: e.problem.messages?.[lang] });
          return;
        }
        throw e;
      }
    },
    () => {
      const next = {
        name: name.trim() ? undefined : t('myShelter.prereg.requiredMissing', { field: t('myShelter.search.name') }),
        birthDate: birthDate ? undefined : t('myShelter.prereg.requiredMissing', { field: t('myShelter.search.birthDate') }),
      };
      setErrors(next);
      if (next.name) document.getElementById('search-name')?.focus();
      else if (next.birthDate) document.getElementById('search-birthDate')?.focus();
      return !next.name && !next.birthDate;
    },
  );

  return (
    <Section title={t('myShelter.search.title')}>
      <p className="text-std-18N-160">{t('myShelter.search.lead')}</p>
      <ul className="mt-3 ml-6 list-disc text-std-16N-170">
        <li>{t('myShelter.search.privacy')}</li>
        <li>{t('myShelter.search.logged')}</li>
      </ul>

      <form noValidate onSubmit={onSubmit} className="mt-5 flex flex-col gap-4" aria-label={t('myShelter.search.title')}>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <BigInput
            id="search-name"
            label={t('myShelter.search.name')}
            hint={t('myShelter.search.nameHint')}
            required
            autoComplete="off"
            value={name}
            error={errors.name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <BigInput
            id="search-birthDate"
            type="date"
            min="1900-01-01"
            max={todayJst()}
            label={t('myShelter.search.birthDate')}
            hint={t('myShelter.prereg.birthDateHint')}
            required
            value={birthDate}
            error={errors.birthDate}
            onChange={(e) => setBirthDate(e.currentTarget.value)}
          />
        </div>
        <ProblemAlert error={search.error} />
        <SubmitButton busy={search.busy} busyLabel={t('myShelter.search.searching')} className="min-h-16 self-start px-10 text-std-20B-150" data-testid="safety-search-submit">
          {t('myShelter.search.submit')}
        </SubmitButton>
        {remaining !== null && (
          <p className="text-std-16N-170" data-testid="safety-search-remaining">
            {t('myShelter.search.remaining', { count: remaining })}
          </p>
        )}
      </form>

      {outcome && (
        <div
          ref={resultRef}
          tabIndex={-1}
          role="region"
          data-testid="safety-search-result"
          data-state={outcome.kind === 'limited' ? 'limited' : outcome.result.found.length > 0 ? 'found' : 'none'}
          className="mt-6 rounded-12 border-2 border-solid-gray-800 p-4 sm:p-6"
          aria-labelledby="safety-search-result-title"
        >
          {outcome.kind === 'limited' ? (
            <>
              <h3 id="safety-search-result-title" className="flex gap-2 text-std-20B-150">
                <span aria-hidden="true">⏳</span>
                {t('myShelter.search.limitTitle')}
              </h3>
              <p className="mt-2 text-std-18N-160">{outcome.message ?? t('myShelter.search.limitFallback')}</p>
            </>
          ) : (
            <>
              <h3 id="safety-search-result-title" className="text-std-20B-150">
                {t('myShelter.search.resultTitle')}
              </h3>
              <p className="mt-1 text-std-16N-170 text-solid-gray-700">
                {t('myShelter.search.searchedFor', { name: outcome.name, birthDate: outcome.birthDate })}
              </p>
              {outcome.result.found.length > 0 ? (
                <ul className="mt-3 flex flex-col gap-3">
                  {outcome.result.found.map((f, i) => (
                    <li key={`${f.municipalityCode}-${f.since}-${i}`} className="rounded-8 border-2 border-success-1 bg-green-50 p-4">
                      <p className="flex gap-2 text-std-20B-150">
                        <span aria-hidden="true">✔</span>
                        <span>
                          {f.place === 'shelter'
                            ? t('myShelter.search.foundShelter', {
                                shelter: f.shelterName ? f.shelterName[lang] || f.shelterName.ja : t('myShelter.search.places.shelter'),
                                date: formatSince(f.since, lang),
                              })
                            : t('myShelter.search.foundOutside', {
                                place: t(`myShelter.search.places.${f.place}`),
                                date: formatSince(f.since, lang),
                              })}
                        </span>
                      </p>
                      <p className="mt-1 text-std-16N-170">
                        {t('myShelter.search.municipality', { municipality: f.municipalityName[lang] || f.municipalityName.ja || f.municipalityCode })}
                      </p>
                    </li>
                  ))}
                </ul>
              ) : (
                <div className="mt-3">
                  <p className="text-std-20B-150">{t('myShelter.search.notFoundTitle')}</p>
                  <p className="mt-2 text-std-18N-160">{t('myShelter.search.notFoundBody')}</p>
                  <p className="mt-2 text-std-18N-160">{t('myShelter.search.notFoundNext')}</p>
                </div>
              )}
            </>
          )}
        </div>
      )}
    </Section>
  );
}
