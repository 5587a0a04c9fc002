import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, sendJson } from '../../api/api';
import type { Hazard, PublicShelterView } from '../../api/shelterTypes';
import { useApi } from '../../hooks/useApi';
import { localName, useLang } from '../../lib/localized';
import { formatDateTime } from '../../lib/format';
import { useApplyLargeText } from '../../lib/largeText';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { Section } from '../../components/Section/Section';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../components/Button/Button';
import { SelectField } from '../../components/Field/Field';
import { LargeTextToggle } from '../../components/LargeTextToggle/LargeTextToggle';
import { ShelterMap, type MapShelter } from '../../components/ShelterMap/ShelterMap';
import {
  CONGESTION_BADGE,
  CONGESTION_BAR,
  CONGESTION_MARK,
  occupancyPercent,
} from '../../components/ShelterMap/congestion';

/** Residents look at this during a disaster: refresh often enough to matter, rarely enough to spare the server. */
const REFRESH_MS = 60_000;

const HAZARDS: readonly Hazard[] = ['flood', 'landslide', 'storm_surge', 'earthquake', 'tsunami', 'fire', 'inland_flood', 'volcano'];

/** Least crowded first; unknown capacity last. */
const VACANCY_ORDER: Record<PublicShelterView['congestion'], number> = { empty: 0, some: 1, crowded: 2, full: 3, unknown: 4 };

const publicShelters = (code: string, signal: AbortSignal) =>
  sendJson<PublicShelterView[]>('GET', `/api/public/municipalities/${encodeURIComponent(code)}/shelters`, { signal }).then(
    (shelters) => ({ shelters, fetchedAt: new Date().toISOString() }),
  );

/**
 * /shelters/:code — the public congestion page (混雑状況): open shelters with congestion words and
 * colours, the map, address, capacity and hazards. No login and no personal data; refreshes every minute.
 */
export function PublicSheltersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { code = '' } = useParams();
  useApplyLargeText();

  const directory = useApi(['public-municipalities'], (signal) => api.publicMunicipalities(signal));
  const list = useApi(['public-shelters', code], (signal) => publicShelters(code, signal));
  const [sort, setSort] = useState<'name' | 'vacancy'>('name');
  const [hazard, setHazard] = useState<Hazard | ''>('');

  const { reload } = list;
  useEffect(() => {
    const timer = window.setInterval(() => {
      // A hidden tab need not poll; it refreshes as soon as it is shown again.
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [reload]);

  const municipality = directory.data?.find((m) => m.code === code);
  const name = municipality ? localName(municipality, lang) : null;
  const title = name ? t('hq.public.title', { name }) : t('hq.public.titleFallback');

  const all = list.data?.shelters;
  const shown = useMemo(() => {
    const collator = new Intl.Collator(lang === 'en' ? 'en' : 'ja', { numeric: true });
    const rows = (all ?? []).filter((s) => !hazard || s.hazards.includes(hazard));
    return rows.sort((a, b) =>
      sort === 'vacancy'
        ? VACANCY_ORDER[a.congestion] - VACANCY_ORDER[b.congestion] ||
          (occupancyPercent(a.present, a.capacity) ?? 0) - (occupancyPercent(b.present, b.capacity) ?? 0)
        : collator.compare(localName(a, lang), localName(b, lang)),
    );
  }, [all, hazard, sort, lang]);

  const points = useMemo<MapShelter[]>(
    () =>
      shown.map((s) => ({
        id: s.id,
        name: localName(s, lang),
        latitude: s.latitude,
        longitude: s.longitude,
        capacity: s.capacity,
        present: s.present,
        status: s.status,
        congestion: s.congestion,
      })),
    [shown, lang],
  );

  const showCard = (id: string) => {
    const el = document.getElementById(`shelter-${id}`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
    }
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageHeading title={title}>{title}</PageHeading>
        <LargeTextToggle />
      </div>
      <p className="text-std-18N-160">{t('hq.public.lead')}</p>
      <p className="text-std-16N-170 text-solid-gray-700">{t('hq.public.privacy')}</p>

      <div className="flex flex-wrap items-center gap-4">
        <p role="status" aria-live="polite" className="text-std-18B-160" data-testid="public-updated-at">
          {list.data ? t('hq.public.updatedAt', { time: formatDateTime(list.data.fetchedAt, lang) }) : ''}
        </p>
        <Button variant="secondary" onClick={reload} disabled={list.loading}>
          {t('hq.public.refresh')}
        </Button>
      </div>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data && <Loading />}

      {all && all.length === 0 && (
        <p className="rounded-12 border-2 border-solid-gray-420 bg-solid-gray-50 p-4 text-std-20B-150">{t('hq.public.none')}</p>
      )}

      {all && all.length > 0 && (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              id="public-sort"
              label={t('hq.public.sort')}
              value={sort}
              onChange={(e) => setSort(e.currentTarget.value === 'vacancy' ? 'vacancy' : 'name')}
              className="text-std-18N-160"
            >
              <option value="name">{t('hq.public.sortName')}</option>
              <option value="vacancy">{t('hq.public.sortVacancy')}</option>
            </SelectField>
            <SelectField
              id="public-hazard"
              label={t('hq.public.hazardFilter')}
              value={hazard}
              onChange={(e) => setHazard(e.currentTarget.value as Hazard | '')}
              className="text-std-18N-160"
            >
              <option value="">{t('hq.public.allHazards')}</option>
              {HAZARDS.map((h) => (
                <option key={h} value={h}>
                  {t(`hq.hazards.${h}`)}
                </option>
              ))}
            </SelectField>
          </div>

          <Section title={t('hq.map.title')} className="!mt-2">
            <ShelterMap shelters={points} areaName={name ?? code} onSelect={showCard} labels />
          </Section>

          <Section title={t('hq.public.list')} className="!mt-2">
            <p className="mb-3 text-std-16N-170">{t('hq.public.shown', { shown: shown.length, count: all.length })}</p>
            <ul className="grid gap-4 md:grid-cols-2" data-testid="public-shelters">
              {shown.map((s) => (
                <li key={s.id}>
                  <ShelterCard shelter={s} />
                </li>
              ))}
            </ul>
          </Section>
        </>
      )}
    </div>
  );
}

function ShelterCard({ shelter: s }: { shelter: PublicShelterView }) {
  const { t } = useTranslation();
  const lang = useLang();
  const percent = occupancyPercent(s.present, s.capacity);
  const headingId = `shelter-${s.id}-name`;
  return (
    <article
      id={`shelter-${s.id}`}
      tabIndex={-1}
      aria-labelledby={headingId}
      data-shelter-id={s.id}
      data-congestion={s.congestion}
      className="flex h-full flex-col gap-3 rounded-12 border-2 border-solid-gray-420 p-4 focus:outline-4 focus:outline-focus-yellow"
    >
      <h3 id={headingId} className="text-std-22B-150">
        {localName(s, lang)}
      </h3>
      <p
        className={`inline-flex items-center gap-2 self-start rounded-8 border-2 px-3 py-1 text-std-20B-150 ${CONGESTION_BADGE[s.congestion]}`}
        data-testid={`congestion-${s.id}`}
      >
        <span aria-hidden="true">{CONGESTION_MARK[s.congestion]}</span>
        {t(`hq.congestion.${s.congestion}`)}
        {s.status !== 'open' && s.status !== 'full' && <span className="text-std-16N-170">{t('hq.paren', { text: t(`hq.status.${s.status}`) })}</span>}
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-std-18N-160">
        <dt className="font-bold">{t('hq.public.present')}</dt>
        <dd>
          <span className="tabular-nums">
            {s.capacity !== null
              ? `${t('hq.public.people', { count: s.present })} / ${t('hq.public.people', { count: s.capacity })}`
              : t('hq.public.people', { count: s.present })}
          </span>
          {percent !== null && (
            <span aria-hidden="true" className="mt-1 block h-3 w-full max-w-60 overflow-hidden rounded-full border border-solid-gray-600 bg-white">
              <span className={`block h-full ${CONGESTION_BAR[s.congestion]}`} style={{ width: `${Math.min(percent, 100)}%` }} />
            </span>
          )}
        </dd>
        <dt className="font-bold">{t('hq.public.capacity')}</dt>
        <dd className="tabular-nums">{s.capacity !== null ? t('hq.public.people', { count: s.capacity }) : t('hq.public.unknown')}</dd>
        <dt className="font-bold">{t('hq.public.address')}</dt>
        <dd>{s.address || t('hq.public.unknown')}</dd>
        <dt className="font-bold">{t('hq.public.kind')}</dt>
        <dd>
          {t(`hq.kind.${s.kind}`)}
          {s.kind === 'welfare' && <span className="block text-std-16N-170">{t('hq.public.welfareNote')}</span>}
        </dd>
        <dt className="font-bold">{t('hq.public.hazards')}</dt>
        <dd>{s.hazards.length > 0 ? s.hazards.map((h) => t(`hq.hazards.${h}`)).join('、') : t('hq.public.noHazards')}</dd>
      </dl>
    </article>
  );
}
