import { useTranslation } from 'react-i18next';
import type { ResidentMe } from '../../../api/resident';
import { Section } from '../../../components/Section/Section';
import { serviceLabel } from '../../../lib/localized';

const SEXES: Record<string, 'male' | 'female' | 'other'> = { male: 'male', female: 'female', other: 'other', '1': 'male', '2': 'female', '9': 'other' };

/** Registered name, address, date of birth and sex, the resident ID, and the services in use. */
export function ProfileSection({ me }: { me: ResidentMe }) {
  const { t } = useTranslation();
  const p = me.profile;
  const sex = p?.sex ? SEXES[p.sex] : undefined;
  const rows: [string, string][] = [
    [t('resident.my.residentNumber'), me.session.residentNumber],
    [t('resident.my.globalId'), me.session.globalId],
    ...(p
      ? ([
          [t('resident.cardAgent.name'), p.name],
          [t('resident.cardAgent.address'), p.address],
          [t('resident.cardAgent.birthDate'), p.birthDate],
          [t('resident.cardAgent.sex'), sex ? t(`resident.cardAgent.sexes.${sex}`) : p.sex],
        ] as [string, string][])
      : []),
  ];
  const services = me.services.filter((s) => s.joined);
  return (
    <>
      <Section title={t('resident.my.profileTitle')}>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 rounded-12 border border-solid-gray-420 p-4 text-std-18N-160 sm:grid-cols-[auto_1fr]">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-bold text-solid-gray-700">{k}</dt>
              <dd className="mb-2 sm:mb-0" data-testid={`profile-${k}`}>
                {v}
              </dd>
            </div>
          ))}
        </dl>
        {!p && <p className="mt-3">{t('resident.my.noProfile')}</p>}
      </Section>
      <Section title={t('resident.my.servicesTitle')}>
        {services.length === 0 ? (
          <p>{t('resident.my.noServices')}</p>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {services.map((s) => (
              <li key={s.id} className="rounded-8 border-2 border-blue-900 bg-blue-50 px-4 py-2 text-std-18B-160">
                {serviceLabel(t, s.id)}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
