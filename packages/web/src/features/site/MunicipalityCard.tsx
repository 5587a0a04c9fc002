import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PublicMunicipality } from '../../api/types';
import { localName, localPrefecture, serviceLabel, useLang } from '../../lib/localized';

export function MunicipalityCard({ municipality: m }: { municipality: PublicMunicipality }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <article className="h-full rounded-12 border border-solid-gray-420 bg-white p-4">
      <h3 className="text-std-20B-150">{localName(m, lang)}</h3>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-dns-16N-130">
        <dt className="text-solid-gray-700">{t('landing.code')}</dt>
        <dd className="font-mono">{m.code}</dd>
        <dt className="text-solid-gray-700">{t('landing.prefecture')}</dt>
        <dd>{localPrefecture(m, lang)}</dd>
        <dt className="text-solid-gray-700">{t('landing.services')}</dt>
        <dd>
          {m.services.length === 0 ? (
            t('landing.noServices')
          ) : (
            <ul className="flex flex-wrap gap-1">
              {m.services.map((s) => (
                <li key={s} className="rounded-4 border border-blue-900 bg-blue-50 px-2 py-0.5 text-dns-14N-130 text-blue-1000">
                  {serviceLabel(t, s)}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="text-solid-gray-700">{t('landing.groups')}</dt>
        <dd>
          {m.groups.length === 0 ? (
            t('landing.noGroups')
          ) : (
            <ul className="list-disc pl-5">
              {m.groups.map((g) => (
                <li key={g.id}>{localName(g, lang)}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {m.services.includes('shelter') && (
        <p className="mt-3">
          <Link to={`/shelters/${m.code}`} className="text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]">
            {t('myShelter.publicLink')}
          </Link>
        </p>
      )}
    </article>
  );
}
